/* pty_probe.h — drives the real program in a pseudo-terminal and times what
 * a clerk sees: from the moment a key is written to the terminal until the
 * last byte of the screen update it causes has arrived (key-to-last-byte).
 * Used by bench_ui.c ("in a real pseudo-terminal"); everything the program
 * does for a key — reading the key through ncurses, the core's queries, the
 * repaint, ncurses' output — is inside the figure, as it was in the
 * measurements that found the 1.9 s pages of issue 16.
 *
 * A screen update ends when no byte has arrived for PTY_IDLE_MS after the
 * last one; that quiet time is not part of the figure.  A key that produces
 * no output within PTY_FIRST_MS counts as PTY_FIRST_MS (and is reported as a
 * silent key), so a hang shows as a miss, never as a fast key. */
#ifndef TD_PTY_PROBE_H
#define TD_PTY_PROBE_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { PTY_IDLE_MS = 40, PTY_FIRST_MS = 3000, PTY_TAIL = 8192 };

typedef struct {
    int fd;          /* the terminal's master side */
    pid_t pid;       /* the program */
    char tail[PTY_TAIL + 1]; /* the newest bytes received (for markers) */
    size_t tail_len;
    long silent;     /* keys that produced no output in time */
} pty_probe;

static inline double pty_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Starts argv (argv[0] a path) on a new ROWSxCOLS pseudo-terminal with
 * TERM=xterm-256color and a UTF-8 locale; the rest of the environment is
 * inherited.  Returns 0 and fills p, or -1 with errno set. */
static inline int pty_start(pty_probe *p, char *const argv[], int rows, int cols)
{
    memset(p, 0, sizeof *p);
    struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
    fflush(NULL);
    p->pid = forkpty(&p->fd, NULL, NULL, &ws);
    if (p->pid < 0)
        return -1;
    if (p->pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        setenv("LC_ALL", "C.UTF-8", 1);
        execv(argv[0], argv);
        _exit(127);
    }
    return 0;
}

/* Appends received bytes to the marker window. */
static inline void pty_keep(pty_probe *p, const char *buf, size_t n)
{
    if (n >= PTY_TAIL) {
        memcpy(p->tail, buf + n - PTY_TAIL, PTY_TAIL);
        p->tail_len = PTY_TAIL;
    } else {
        if (p->tail_len + n > PTY_TAIL) {
            size_t drop = p->tail_len + n - PTY_TAIL;
            memmove(p->tail, p->tail + drop, p->tail_len - drop);
            p->tail_len -= drop;
        }
        memcpy(p->tail + p->tail_len, buf, n);
        p->tail_len += n;
    }
    p->tail[p->tail_len] = '\0';
}

/* Reads the program's output until it has been quiet for idle_ms after the
 * last byte (and, when marker is not NULL, the marker has been seen since
 * the call began), or until first_ms pass with nothing at all.  Returns the
 * time of the last byte (pty_now's clock), or 0 if nothing arrived; *bytes
 * gets the count.  Terminal queries the program sends are not answered
 * (ncurses does not need them with a terminfo entry). */
static inline double pty_drain(pty_probe *p, int first_ms, int idle_ms, const char *marker, size_t *bytes)
{
    double last = 0, start = pty_now();
    size_t total = 0;
    bool seen = marker == NULL;
    p->tail_len = 0;
    p->tail[0] = '\0';
    for (;;) {
        int wait_ms;
        if (last == 0 || !seen)
            wait_ms = first_ms - (int)((pty_now() - start) * 1e3);
        else
            wait_ms = idle_ms - (int)((pty_now() - last) * 1e3);
        if (wait_ms <= 0)
            break;
        struct pollfd pf = { .fd = p->fd, .events = POLLIN };
        int r = poll(&pf, 1, wait_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        char buf[65536];
        ssize_t n = read(p->fd, buf, sizeof buf);
        if (n <= 0)
            break; /* the program ended */
        last = pty_now();
        total += (size_t)n;
        pty_keep(p, buf, (size_t)n);
        if (!seen && strstr(p->tail, marker))
            seen = true;
    }
    if (bytes)
        *bytes = total;
    return last;
}

/* Writes a key (its bytes as a terminal sends them) and returns the
 * milliseconds to the last byte of the update it caused (see above). */
static inline double pty_key(pty_probe *p, const char *seq)
{
    double t0 = pty_now();
    if (write(p->fd, seq, strlen(seq)) < 0)
        return PTY_FIRST_MS;
    size_t n;
    double last = pty_drain(p, PTY_FIRST_MS, PTY_IDLE_MS, NULL, &n);
    if (last == 0) {
        if (getenv("BENCH_DEBUG"))
            fprintf(stderr, "pty: no output for key %s (silent so far %ld)\n", seq[0] == 27 ? seq + 1 : seq, p->silent);
        p->silent++;
        return PTY_FIRST_MS;
    }
    return (last - t0) * 1e3;
}

/* Writes keys that only set up the next measurement (they may change
 * nothing on screen, so silence is not counted) and waits for their update
 * to end. */
static inline void pty_send(pty_probe *p, const char *seq)
{
    if (write(p->fd, seq, strlen(seq)) < 0)
        return;
    pty_drain(p, 300, PTY_IDLE_MS, NULL, NULL);
}

/* Ends the program (F10, then SIGTERM if it lingers) and reaps it.
 * Returns its exit status as waitpid reports it. */
static inline int pty_stop(pty_probe *p)
{
    int st = 0;
    if (write(p->fd, "\033[21~", 5) < 0) { /* F10: quit */
    }
    for (int i = 0; i < 100; i++) {
        pty_drain(p, 20, 20, NULL, NULL);
        if (waitpid(p->pid, &st, WNOHANG) == p->pid)
            goto done;
    }
    kill(p->pid, SIGTERM);
    waitpid(p->pid, &st, 0);
done:
    close(p->fd);
    return st;
}

#endif
