/*
 * `make bench` calibration: how many 64-byte request/reply round trips per second this machine's
 * loopback carries, from 8 client threads each talking to its own server thread (blocking sockets,
 * TCP_NODELAY), for 3 seconds. Every FastDFS operation is two such round trips (tracker, then storage)
 * plus the file work, so this relates kfdfs's figures to those measured on another machine.
 * Usage: loopback-calibration [pairs]
 */
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int port;
static volatile int stop;
static long counts[64];

static void *server(void *arg) {
    int fd = (int) (long) arg;
    char b[64];
    while (recv(fd, b, sizeof b, MSG_WAITALL) == (ssize_t) sizeof b) {
        send(fd, b, sizeof b, 0);
    }
    close(fd);
    return NULL;
}

static void *acceptor(void *arg) {
    int listener = (int) (long) arg;
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        int one = 1;
        pthread_t t;
        if (fd < 0) {
            return NULL;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        pthread_create(&t, NULL, server, (void *) (long) fd);
    }
}

static void *client(void *arg) {
    long i = (long) arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    char b[64] = {0};
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *) &sa, sizeof sa) != 0) {
        perror("connect");
        exit(1);
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    while (!stop) {
        send(fd, b, sizeof b, 0);
        if (recv(fd, b, sizeof b, MSG_WAITALL) != (ssize_t) sizeof b) {
            break;
        }
        counts[i]++;
    }
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    int pairs = argc > 1 ? atoi(argv[1]) : 8;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    socklen_t len = sizeof sa;
    pthread_t t;
    pthread_t clients[64];
    long total = 0;
    if (pairs < 1 || pairs > 64) {
        fprintf(stderr, "pairs: 1..64\n");
        return 2;
    }
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *) &sa, sizeof sa) != 0 || listen(listener, 64) != 0) {
        perror("listen");
        return 1;
    }
    getsockname(listener, (struct sockaddr *) &sa, &len);
    port = ntohs(sa.sin_port);
    pthread_create(&t, NULL, acceptor, (void *) (long) listener);
    for (long i = 0; i < pairs; i++) {
        pthread_create(&clients[i], NULL, client, (void *) i);
    }
    sleep(3);
    stop = 1;
    for (int i = 0; i < pairs; i++) {
        pthread_join(clients[i], NULL);
        total += counts[i];
    }
    printf("%ld\n", total / 3);
    return 0;
}
