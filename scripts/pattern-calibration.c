// FastDFS's request pattern in minimal C, as a yardstick for `make bench` (README, Performance). W client
// threads each ask a "tracker" before every operation (one epoll thread: a header and a short body in, a
// 50-byte reply out), then upload, download or delete a file on a "storage" (one epoll thread that does
// the file work itself, with no hand-off to a disk thread, and answers in one write), phase after phase
// as `fdfs bench` does. An upload is written to a temporary name in one of 256 directories and renamed
// (FastDFS names a file by its CRC, known only at the end); a download is open, fstat, pread, close; a
// delete is unlink. No parsing, no logging, no binlog, no checks: about what the C FastDFS or kfdfs could at
// best do per operation on this machine's loopback and file system.
//
//   gcc -O2 -pthread -o pattern-calibration scripts/pattern-calibration.c
//   ./pattern-calibration WORKERS SECONDS SIZE DIR   -> "upload N/s download N/s delete N/s"
// SIZE in bytes (at most 16 MiB); DIR is emptied of what the run creates.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HEADER 10 // 8-byte body length, command, status: as FastDFS
#define QUERY_BODY 16
#define QUERY_REPLY 40
#define MAX_SIZE (16L << 20)
enum { QUERY = 'Q', UPLOAD = 'U', DOWNLOAD = 'D', DELETE = 'X' };
enum { UPLOADING, DOWNLOADING, DELETING, STOPPING };

static const char *dir;
static long file_size;
static volatile int phase = UPLOADING;
static long next_file; // storage thread only

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void read_fully(int fd, char *buf, size_t n) {
  for (size_t got = 0; got < n;) {
    ssize_t r = read(fd, buf + got, n - got);
    if (r <= 0) die("read");
    got += (size_t)r;
  }
}

static void write_fully(int fd, const char *buf, size_t n) {
  for (size_t put = 0; put < n;) {
    ssize_t w = write(fd, buf + put, n - put);
    if (w <= 0) die("write");
    put += (size_t)w;
  }
}

static void header(char *h, uint64_t body, char cmd) {
  for (int i = 0; i < 8; i++) h[i] = (char)(body >> (56 - 8 * i));
  h[8] = cmd;
  h[9] = 0;
}

static uint64_t body_length(const char *h) {
  uint64_t n = 0;
  for (int i = 0; i < 8; i++) n = n << 8 | (unsigned char)h[i];
  return n;
}

static void file_name(char *out, size_t size, long n, int temporary) {
  snprintf(out, size, "%s/%02lX/%ld%s", dir, (n / 100) % 256, n, temporary ? ".tmp" : "");
}

// One request, read and answered whole on the connection's (blocking) socket: requests arrive at once.
static void serve_request(int fd, char *buf) {
  read_fully(fd, buf, HEADER);
  uint64_t length = body_length(buf);
  char cmd = buf[8];
  if (length > (uint64_t)MAX_SIZE + 64) die("request too long");
  read_fully(fd, buf + HEADER, length);
  char path[512], temp[512];
  long n;
  switch (cmd) {
    case QUERY:
      header(buf, QUERY_REPLY, 0);
      memset(buf + HEADER, 0, QUERY_REPLY);
      write_fully(fd, buf, HEADER + QUERY_REPLY);
      return;
    case UPLOAD: {
      n = next_file++;
      file_name(temp, sizeof temp, n, 1);
      file_name(path, sizeof path, n, 0);
      int f = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0644);
      if (f < 0) die(temp);
      write_fully(f, buf + HEADER, length);
      if (close(f) || rename(temp, path)) die(path);
      header(buf, 8, 0);
      memcpy(buf + HEADER, &n, 8);
      write_fully(fd, buf, HEADER + 8);
      return;
    }
    case DOWNLOAD: {
      memcpy(&n, buf + HEADER, 8);
      file_name(path, sizeof path, n, 0);
      int f = open(path, O_RDONLY);
      struct stat st;
      if (f < 0 || fstat(f, &st)) die(path);
      ssize_t got = pread(f, buf + HEADER, (size_t)st.st_size, 0);
      close(f);
      if (got != st.st_size) die("short read");
      header(buf, (uint64_t)got, 0);
      write_fully(fd, buf, HEADER + (size_t)got);
      return;
    }
    case DELETE:
      memcpy(&n, buf + HEADER, 8);
      file_name(path, sizeof path, n, 0);
      if (unlink(path)) die(path);
      header(buf, 0, 0);
      write_fully(fd, buf, HEADER);
      return;
    default:
      die("unknown command");
  }
}

static void *serve(void *arg) {
  int listen_fd = *(int *)arg;
  char *buf = malloc(HEADER + MAX_SIZE + 64);
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = listen_fd};
  epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev);
  struct epoll_event ready[64];
  for (;;) {
    int n = epoll_wait(ep, ready, 64, -1);
    for (int i = 0; i < n; i++) {
      int fd = ready[i].data.fd;
      if (fd == listen_fd) {
        int c = accept(fd, NULL, NULL), one = 1;
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event cev = {.events = EPOLLIN, .data.fd = c};
        epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
      } else {
        serve_request(fd, buf);
      }
    }
  }
  return NULL;
}

static int listener(int *port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 128) ||
      getsockname(fd, (struct sockaddr *)&a, &len))
    die("listen");
  *port = ntohs(a.sin_port);
  return fd;
}

static int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a)) die("connect");
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

struct worker {
  int tracker_port, storage_port;
  long ops[3];      // per phase, read by main while running
  long *files;      // the files this worker uploaded
  long count, capacity;
  int deleted;      // set when every file of this worker is gone
};

// One operation: ask the tracker, then send the storage `cmd` with `body` and read its reply into `in`.
static void operation(int tracker, int storage, char *out, char *in, char cmd, const char *body, size_t length,
                      size_t reply) {
  header(out, QUERY_BODY, QUERY);
  memset(out + HEADER, 0, QUERY_BODY);
  write_fully(tracker, out, HEADER + QUERY_BODY);
  read_fully(tracker, in, HEADER + QUERY_REPLY);
  header(out, length, cmd);
  memcpy(out + HEADER, body, length);
  write_fully(storage, out, HEADER + length);
  read_fully(storage, in, HEADER + reply);
}

static void *work(void *arg) {
  struct worker *w = arg;
  int tracker = connect_to(w->tracker_port), storage = connect_to(w->storage_port);
  char *out = malloc(HEADER + (size_t)file_size), *in = malloc(HEADER + (size_t)file_size);
  char *content = malloc((size_t)file_size);
  memset(content, 'k', (size_t)file_size);
  long n;
  while (phase == UPLOADING) {
    operation(tracker, storage, out, in, UPLOAD, content, (size_t)file_size, 8);
    memcpy(&n, in + HEADER, 8);
    if (w->count == w->capacity) {
      w->capacity = w->capacity ? 2 * w->capacity : 1024;
      w->files = realloc(w->files, (size_t)w->capacity * sizeof n);
    }
    w->files[w->count++] = n;
    __atomic_fetch_add(&w->ops[UPLOADING], 1, __ATOMIC_RELAXED);
  }
  for (long i = 0; phase == DOWNLOADING; i++) {
    n = w->files[i % w->count];
    operation(tracker, storage, out, in, DOWNLOAD, (char *)&n, 8, (size_t)file_size);
    __atomic_fetch_add(&w->ops[DOWNLOADING], 1, __ATOMIC_RELAXED);
  }
  for (long i = 0; i < w->count; i++) {
    operation(tracker, storage, out, in, DELETE, (char *)&w->files[i], 8, 0);
    __atomic_fetch_add(&w->ops[DELETING], 1, __ATOMIC_RELAXED);
  }
  __atomic_store_n(&w->deleted, 1, __ATOMIC_RELEASE);
  return NULL;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static long total(struct worker *w, int workers, int which) {
  long sum = 0;
  for (int i = 0; i < workers; i++) sum += __atomic_load_n(&w[i].ops[which], __ATOMIC_RELAXED);
  return sum;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s WORKERS SECONDS SIZE DIR\n", argv[0]);
    return 2;
  }
  int workers = atoi(argv[1]), seconds = atoi(argv[2]);
  file_size = atol(argv[3]);
  dir = argv[4];
  if (workers < 1 || seconds < 1 || file_size < 1 || file_size > MAX_SIZE) {
    fprintf(stderr, "need WORKERS >= 1, SECONDS >= 1 and 1 <= SIZE <= 16 MiB\n");
    return 2;
  }
  char sub[512];
  for (int i = 0; i < 256; i++) {
    snprintf(sub, sizeof sub, "%s/%02X", dir, i);
    mkdir(sub, 0755);
  }
  int tracker_port, storage_port;
  int tracker_fd = listener(&tracker_port), storage_fd = listener(&storage_port);
  pthread_t t;
  pthread_create(&t, NULL, serve, &tracker_fd);
  pthread_create(&t, NULL, serve, &storage_fd);
  struct worker *w = calloc((size_t)workers, sizeof *w);
  for (int i = 0; i < workers; i++) {
    w[i].tracker_port = tracker_port;
    w[i].storage_port = storage_port;
    pthread_create(&t, NULL, work, &w[i]);
  }
  double rate[3];
  for (int p = UPLOADING; p <= DOWNLOADING; p++) {
    long before = total(w, workers, p);
    double start = now();
    sleep((unsigned)seconds);
    rate[p] = (double)(total(w, workers, p) - before) / (now() - start);
    phase = p + 1;
  }
  // the delete phase removes every uploaded file: timed from its start to the last worker's end
  double start = now();
  for (int i = 0; i < workers; i++) {
    while (!__atomic_load_n(&w[i].deleted, __ATOMIC_ACQUIRE)) usleep(1000);
  }
  rate[DELETING] = (double)total(w, workers, DELETING) / (now() - start);
  printf("upload %.0f/s download %.0f/s delete %.0f/s\n", rate[UPLOADING], rate[DOWNLOADING], rate[DELETING]);
  return 0; // the servers end with the process
}
