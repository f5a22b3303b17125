# kfdfs developer targets. `make run` starts a local cluster, `make test` runs the test suite.
MVN ?= mvn
MVN_FLAGS ?= -B -q
DATA ?= $(CURDIR)/data

.PHONY: build run test e2e bench bench-codec crds images image-test chart clean

build:
	$(MVN) $(MVN_FLAGS) -DskipTests install

## A local cluster on 127.0.0.1: one tracker and the storages of group1, data under $(DATA).
run: build
	scripts/run-local.sh "$(DATA)"

## Everything that runs in about 15 minutes on 2 cores.
test:
	$(MVN) -B install

## The fault suite, long versions (docs/e2e.md): pods as processes, faults injected; prints its table.
e2e:
	$(MVN) $(MVN_FLAGS) -DskipTests install
	$(MVN) -B -pl e2e verify -De2e.long=true; status=$$?; cat e2e/target/e2e/report.md; exit $$status

## kfdfs on 127.0.0.1, sizes x concurrency, median of 3 runs (QUICK=1: a smoke run): one storage into
## bench-results-single.md, then the headline, a group of two replicating each other, into bench-results.md
## with its throughput against one storage's cell by cell.
bench: build
	QUICK=$(QUICK) REPLICAS=1 BENCH_OUT=$(CURDIR)/bench-results-single.md scripts/bench.sh
	QUICK=$(QUICK) REPLICAS=2 BENCH_OUT=$(CURDIR)/bench-results.md BENCH_SINGLE=$(CURDIR)/bench-results-single.jsonl \
		scripts/bench.sh

## JMH: ns and bytes allocated per op of the codec's hot paths (encode/decode an upload request, file names).
bench-codec:
	$(MVN) $(MVN_FLAGS) -DskipTests -pl client/protocol test-compile dependency:build-classpath \
		-Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
	java -cp client/protocol/target/test-classes:client/protocol/target/classes:$$(cat client/protocol/target/test-classpath.txt) \
		org.openjdk.jmh.Main io.kfdfs.protocol.bench.CodecBench -prof gc

## Regenerates crds/ from the operator's API classes (a test fails while crds/ is stale).
crds:
	$(MVN) $(MVN_FLAGS) -DskipTests -pl client/protocol,client/library install
	$(MVN) $(MVN_FLAGS) -pl operator test -Dtest=CrdsTest -Dsurefire.failIfNoSpecifiedTests=false -Dkfdfs.crds.write=true

## The tracker, storage and operator images (images/Dockerfile) with podman, saved to target/images/kfdfs-images.tar
## (docs/images.md: IMAGE_BUILDER=docker, BASE_IMAGE=...). Installs podman, runc and mmdebstrap with apt-get when missing.
images: build
	images/build.sh

## Starts the images: the tracker answers, a storage becomes ACTIVE on it and serves a file, the operator (against the
## mock API server) answers /healthz and /readyz and makes a cluster's objects; prints target/images/image-test.md.
image-test: images
	$(MVN) -B -pl operator test -Dtest=ImageRunTest -Dsurefire.failIfNoSpecifiedTests=false -Doperator.excludedGroups=; \
		status=$$?; cat target/images/image-test.md 2>/dev/null; exit $$status

## The Helm charts (charts/) through Helm's own engine: lint, render, RBAC against what the operator does; then
## packaged into target/charts.
chart:
	$(MVN) $(MVN_FLAGS) -DskipTests -pl client/protocol,client/library install
	$(MVN) -B -pl operator test -Dtest='ChartTest,RbacTest' -Dsurefire.failIfNoSpecifiedTests=false \
		-Doperator.excludedGroups= -Dkfdfs.chart.package=$(CURDIR)/target/charts

clean:
	$(MVN) $(MVN_FLAGS) clean
