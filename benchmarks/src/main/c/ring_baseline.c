/*
 * C baseline of the nicup 82574L ring fast path: the same descriptor layouts as the driver's two rings
 * (legacy transmit descriptors as TxRing, extended receive descriptors as ExtRxRing, the format the driver
 * runs with RFCTL.EXTEN), the same ring algorithm as the product has it now, line for line and under the
 * product's names (TxDescriptorRing.submit/clean with TxRing.writeCommand, RxDescriptorRing.poll/refill
 * with ExtRxRing.writtenBackFlags/clearWriteBack: the slot at the tail checked in every submit, clean and
 * poll, a DD there counted as an unsubmitted write-back and cleared; DD cleared in every retired TX and
 * every taken RX descriptor; the written-back length checked by one unsigned compare against the frame
 * limit; the branches the benchmark never takes keep their conditions and stop the program), the same
 * benchmark device and the same batch loops as the JMH suite in
 * benchmarks/src/main/java/io/nicup/benchmarks, so that its ns/packet is the limit for this CPU work on
 * this machine. Built with gcc -O2 by scripts/bench. PeerConformanceTest runs --check and compares the
 * rings with the product's.
 *
 * Memory ordering mirrors the Java code exactly:
 *   - descriptors written with plain stores; the doorbell as a release 32-bit store (what the Java
 *     RegisterSpace.writeDoorbell32 is, setRelease; no trailing full fence; docs/ndis-contract.md §19);
 *   - TX submit and clean: each DD read is an acquire load (getAcquire);
 *   - RX poll: DD bits scanned with relaxed loads, one acquire fence, then the rest of the descriptors.
 * The device functions are noinline, as the Java ones are @CompilerControl(DONT_INLINE).
 *
 * Output (stdout), one CSV line per measurement:
 *   c,<op>,<batch>,<ringSize>,<mean ns/packet>,<stddev>,<min>,<median>
 * over many short measurement iterations (the median and the minimum are robust on a shared machine).
 * Usage: ring_baseline [--quick]
 *        ring_baseline --check RING BATCH   (the ring state after PeerConformanceTest's sequence, one line
 *                                            per step: step,TDT,RDT,TX and RX unsubmitted write-backs,
 *                                            what the batches returned, FNV-1a of the TX and RX rings)
 * Exit: 0 done; 1 a short batch, or a branch the baseline does not copy (cold); 2 bad usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "e1000_rings.h"

/* ---- the benchmark device (BenchDevice.java) ------------------------------------------------------ */

struct device {
    uint32_t *regs;
    struct e1000_tx_desc *tx;
    struct e1000_rx_desc *rx;
    int mask;
    int tx_head, rx_head;
};

static NOINLINE int device_transmit(struct device *d) {
    int tail = (int) d->regs[REG_TDT];
    int h = d->tx_head;
    int n = 0;
    while (h != tail) {
        if (d->tx[h].lower.flags.cmd & CMD_RS) {
            d->tx[h].upper.fields.status = STA_DD;
        }
        h = (h + 1) & d->mask;
        n++;
    }
    d->tx_head = h;
    d->regs[REG_TDH] = (uint32_t) h;
    return n;
}

static NOINLINE int device_receive(struct device *d, int max) {
    int tail = (int) d->regs[REG_RDT];
    int h = d->rx_head;
    int n = 0;
    while (n < max && h != tail) {
        d->rx[h].lower.buffer_addr = 0;             /* mrq and rss: 0 */
        d->rx[h].upper.wb.length = FRAME_LENGTH;
        d->rx[h].upper.wb.status_error = STA_DD | RX_STA_EOP;   /* errors 0 */
        h = (h + 1) & d->mask;
        n++;
    }
    d->rx_head = h;
    d->regs[REG_RDH] = (uint32_t) h;
    return n;
}

/* ---- fixture and paths (Fixture.java, FfmPath.java) ----------------------------------------------- */

struct path {
    int batch;
    int ring_size;
    void *tx_mem, *rx_mem, *buf_mem, *reg_mem;
    struct pool pool;
    struct tx_ring tx;
    struct rx_ring rx;
    struct device dev;
    uint64_t *iovas;
    int *lengths, *tags, *done, *rx_buffers, *rx_lengths, *rx_flags, *drop;
    long short_batches;
};

static void *zalloc(size_t size, size_t alignment) {
    void *p = NULL;
    if (posix_memalign(&p, alignment, size) != 0) {
        fprintf(stderr, "ring_baseline: out of memory: size=%zu\n", size);
        exit(1);
    }
    memset(p, 0, size);
    return p;
}

static void path_init(struct path *p, int ring_size, int batch, int prefill) {
    memset(p, 0, sizeof(*p));
    p->batch = batch;
    p->ring_size = ring_size;
    int buffers = 2 * ring_size + PACKETS;
    p->tx_mem = zalloc((size_t) ring_size * 16, 4096);
    p->rx_mem = zalloc((size_t) ring_size * 16, 4096);
    p->buf_mem = zalloc((size_t) buffers * BUFFER_SIZE, 2 * 1024 * 1024);
    p->reg_mem = zalloc(128 * 1024, 4096);
    p->pool.base_iova = (uint64_t) (uintptr_t) p->buf_mem;
    p->pool.capacity = buffers;
    p->pool.stack = calloc((size_t) buffers, sizeof(int));
    for (int i = 0; i < buffers; i++) {
        p->pool.stack[i] = buffers - 1 - i;
    }
    p->pool.top = buffers;

    p->tx = (struct tx_ring) {.ring = p->tx_mem, .regs = p->reg_mem, .count = ring_size, .mask = ring_size - 1,
        .tags = calloc((size_t) ring_size, sizeof(int))};
    p->rx = (struct rx_ring) {.ring = p->rx_mem, .regs = p->reg_mem, .count = ring_size, .mask = ring_size - 1,
        .pool = &p->pool, .frame_limit = BUFFER_SIZE, .slot_buffer = calloc((size_t) ring_size, sizeof(int))};
    p->dev = (struct device) {.regs = p->reg_mem, .tx = p->tx_mem, .rx = p->rx_mem, .mask = ring_size - 1};

    p->iovas = calloc((size_t) ring_size, sizeof(uint64_t));
    p->lengths = calloc((size_t) ring_size, sizeof(int));
    p->tags = calloc((size_t) ring_size, sizeof(int));
    p->done = calloc((size_t) ring_size, sizeof(int));
    p->rx_buffers = calloc((size_t) ring_size, sizeof(int));
    p->rx_lengths = calloc((size_t) ring_size, sizeof(int));
    p->rx_flags = calloc((size_t) ring_size, sizeof(int));
    p->drop = calloc((size_t) ring_size, sizeof(int));
    for (int i = 0; i < batch; i++) {
        p->tags[i] = pool_allocate(&p->pool);
        p->iovas[i] = pool_iova(&p->pool, p->tags[i]);
        p->lengths[i] = FRAME_LENGTH;
    }
    rx_refill_from_pool(&p->rx, ring_size - 1);
    for (int i = 0; prefill && i < ring_size; i++) {
        /* for the device-only benchmark: RS in every descriptor, as in a real run (Fixture.prefillTxCommands) */
        struct e1000_tx_desc *t = p->tx_mem;
        t[i].lower.data = FRAME_LENGTH | (uint32_t) TX_CMD << 24;
    }
}

static void path_free(struct path *p) {
    free(p->tx_mem);
    free(p->rx_mem);
    free(p->buf_mem);
    free(p->reg_mem);
    free(p->pool.stack);
    free(p->tx.tags);
    free(p->rx.slot_buffer);
    free(p->iovas);
    free(p->lengths);
    free(p->tags);
    free(p->done);
    free(p->rx_buffers);
    free(p->rx_lengths);
    free(p->rx_flags);
    free(p->drop);
}

static int transmit_batch(struct path *p) {
    int sent = tx_submit(&p->tx, p->iovas, p->lengths, p->tags, NULL, NULL, 0, p->batch);
    device_transmit(&p->dev);
    int cleaned = tx_clean(&p->tx, p->tags, 0, p->batch);
    for (int i = 0; i < cleaned; i++) {
        p->iovas[i] = pool_iova(&p->pool, p->tags[i]);
    }
    if (sent != p->batch || cleaned != p->batch) {
        p->short_batches++;
    }
    return cleaned;
}

static int receive_batch(struct path *p) {
    device_receive(&p->dev, p->batch);
    int n = rx_poll(&p->rx, p->rx_buffers, p->rx_lengths, p->rx_flags, 0, p->batch);
    int bytes = 0;
    for (int i = 0; i < n; i++) {
        if ((p->rx_flags[i] & FAULT_MASK) == 0) {
            bytes += p->rx_lengths[i];
        }
    }
    rx_refill(&p->rx, p->rx_buffers, 0, n);
    if (n != p->batch) {
        p->short_batches++;
    }
    return bytes;
}

static int forward_batch(struct path *p) {
    device_receive(&p->dev, p->batch);
    int n = rx_poll(&p->rx, p->rx_buffers, p->rx_lengths, p->rx_flags, 0, p->batch);
    int m = 0;
    int dropped = 0;
    for (int i = 0; i < n; i++) {
        int b = p->rx_buffers[i];
        if ((p->rx_flags[i] & FAULT_MASK) == 0) {
            p->iovas[m] = pool_iova(&p->pool, b);
            p->lengths[m] = p->rx_lengths[i];
            p->tags[m] = b;
            m++;
        } else {
            p->drop[dropped++] = b;
        }
    }
    int sent = tx_submit(&p->tx, p->iovas, p->lengths, p->tags, NULL, NULL, 0, m);
    device_transmit(&p->dev);
    int cleaned = tx_clean(&p->tx, p->done, 0, p->ring_size);
    rx_refill(&p->rx, p->done, 0, cleaned);
    if (dropped != 0 || sent != m) {
        rx_refill(&p->rx, p->drop, 0, dropped);
        rx_refill(&p->rx, p->tags, sent, m - sent);
    }
    if (sent != p->batch) {
        p->short_batches++;
    }
    return sent;
}

/* DevicePath.java: the device's share alone. */
static int device_transmit_only(struct path *p) {
    p->dev.regs[REG_TDT] = (uint32_t) ((p->dev.tx_head + p->batch) & p->dev.mask);
    return device_transmit(&p->dev);
}

static int device_receive_only(struct path *p) {
    p->dev.regs[REG_RDT] = (uint32_t) ((p->dev.rx_head - 1) & p->dev.mask);
    return device_receive(&p->dev, p->batch);
}

static int device_forward_only(struct path *p) {
    int n = device_receive_only(p);
    return n + device_transmit_only(p);
}

/* ---- measurement ---------------------------------------------------------------------------------- */

typedef int (*batch_fn)(struct path *);

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

static volatile long sink;

/* One invocation: PACKETS packets in batches, like the @Benchmark methods. */
static long invocation(struct path *p, batch_fn fn) {
    long s = 0;
    for (int k = 0; k < PACKETS; k += p->batch) {
        s += fn(p);
    }
    return s;
}

static void measure(const char *op, batch_fn fn, int ring_size, int batch, double warmup_s, double iteration_s,
        int iterations) {
    struct path p;
    int device_only = fn == device_transmit_only || fn == device_receive_only || fn == device_forward_only;
    path_init(&p, ring_size, batch, device_only);
    long s = 0;
    double end = now_ns() + warmup_s * 1e9;
    while (now_ns() < end) {
        for (int r = 0; r < 64; r++) {
            s += invocation(&p, fn);
        }
    }
    double results[128];
    for (int it = 0; it < iterations; it++) {
        double start = now_ns();
        double stop = start + iteration_s * 1e9;
        long invocations = 0;
        double t;
        do {
            for (int r = 0; r < 16; r++) {
                s += invocation(&p, fn);
            }
            invocations += 16;
            t = now_ns();
        } while (t < stop);
        results[it] = (t - start) / ((double) invocations * PACKETS);
    }
    sink = s;
    double mean = 0;
    double min = results[0];
    for (int it = 0; it < iterations; it++) {
        mean += results[it];
        if (results[it] < min) {
            min = results[it];
        }
    }
    mean /= iterations;
    double var = 0;
    for (int it = 0; it < iterations; it++) {
        var += (results[it] - mean) * (results[it] - mean);
    }
    double sd = iterations > 1 ? __builtin_sqrt(var / (iterations - 1)) : 0;
    double sorted[128];
    memcpy(sorted, results, sizeof(double) * (size_t) iterations);
    for (int i = 1; i < iterations; i++) {
        double v = sorted[i];
        int j = i - 1;
        while (j >= 0 && sorted[j] > v) {
            sorted[j + 1] = sorted[j];
            j--;
        }
        sorted[j + 1] = v;
    }
    double median = iterations % 2 ? sorted[iterations / 2]
            : (sorted[iterations / 2 - 1] + sorted[iterations / 2]) / 2;
    if (fn != device_transmit_only && fn != device_receive_only && fn != device_forward_only && p.short_batches != 0) {
        fprintf(stderr, "ring_baseline: short batches, the score is not per packet: op=%s batch=%d shortBatches=%ld\n",
                op, batch, p.short_batches);
        exit(1);
    }
    printf("c,%s,%d,%d,%.4f,%.4f,%.4f,%.4f\n", op, batch, ring_size, mean, sd, min, median);
    fflush(stdout);
    path_free(&p);
}

/* ---- --check: the rings after a fixed sequence, for PeerConformanceTest -------------------------- */

/* FNV-1a over the ring, each buffer address taken relative to the buffer region (all ones: no address). */
static uint64_t ring_hash(const void *mem, int count, uint64_t base) {
    const uint8_t *bytes = mem;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int d = 0; d < count; d++) {
        uint8_t copy[16];
        uint64_t address;
        memcpy(copy, bytes + (size_t) d * 16, 16);
        memcpy(&address, copy, 8);
        address = address == 0 ? UINT64_MAX : address - base;
        memcpy(copy, &address, 8);              /* little-endian, as the descriptor holds it */
        for (int i = 0; i < 16; i++) {
            h ^= copy[i];
            h *= 0x100000001b3ULL;
        }
    }
    return h;
}

/* A device that runs past the tail: DD in the status byte (byte 12 in TX, byte 8 in RX) of a slot it was
 * never given. */
#define TX_STATUS_OFFSET offsetof(struct e1000_tx_desc, upper.fields.status)
#define RX_STATUS_OFFSET offsetof(struct e1000_rx_desc, upper.wb.status_error)

static void poke_done(void *ring, uint32_t slot, size_t status_offset) {
    ((uint8_t *) ring)[(size_t) slot * 16 + status_offset] |= STA_DD;
}

static void check_step(struct path *p, const char *name, long result) {
    printf("%s,%" PRIu32 ",%" PRIu32 ",%ld,%ld,%ld,%" PRIx64 ",%" PRIx64 "\n", name, p->tx.regs[REG_TDT],
            p->rx.regs[REG_RDT], p->tx.unsubmitted_write_backs, p->rx.unsubmitted_write_backs, result,
            ring_hash(p->tx_mem, p->ring_size, p->pool.base_iova),
            ring_hash(p->rx_mem, p->ring_size, p->pool.base_iova));
}

static long repeat(struct path *p, batch_fn fn, int times) {
    long s = 0;
    for (int i = 0; i < times; i++) {
        s += fn(p);
    }
    return s;
}

/* The sequence of PeerConformanceTest.run, one line per step. */
static int check(int ring_size, int batch) {
    struct path p;
    path_init(&p, ring_size, batch, 0);
    int rounds = 2 * ring_size / batch + 3;
    check_step(&p, "transmit", repeat(&p, transmit_batch, rounds));
    poke_done(p.tx_mem, p.tx.regs[REG_TDT], TX_STATUS_OFFSET);
    check_step(&p, "transmit-tail-dd", repeat(&p, transmit_batch, 2));
    check_step(&p, "receive", repeat(&p, receive_batch, rounds));
    poke_done(p.rx_mem, p.rx.regs[REG_RDT], RX_STATUS_OFFSET);
    check_step(&p, "receive-tail-dd", repeat(&p, receive_batch, 2));
    check_step(&p, "forward", repeat(&p, forward_batch, rounds));
    poke_done(p.tx_mem, p.tx.regs[REG_TDT], TX_STATUS_OFFSET);
    poke_done(p.rx_mem, p.rx.regs[REG_RDT], RX_STATUS_OFFSET);
    check_step(&p, "forward-tail-dd", repeat(&p, forward_batch, 2));
    poke_done(p.tx_mem, p.tx.regs[REG_TDT], TX_STATUS_OFFSET);
    check_step(&p, "clean-tail-dd", tx_clean(&p.tx, p.done, 0, ring_size));
    long short_batches = p.short_batches;
    path_free(&p);
    if (short_batches != 0) {
        fprintf(stderr, "ring_baseline: short batches in the check sequence: shortBatches=%ld\n", short_batches);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "--check") == 0) {
        int ring_size = atoi(argv[2]);
        int batch = atoi(argv[3]);
        if (ring_size < 8 || ring_size > 4096 || (ring_size & (ring_size - 1)) != 0 || batch < 1
                || batch >= ring_size) {
            fprintf(stderr, "ring_baseline: --check RING BATCH: RING a power of two from 8 to 4096, BATCH 1 to"
                    " RING - 1: ring=%s batch=%s\n", argv[2], argv[3]);
            return 2;
        }
        return check(ring_size, batch);
    }
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "--quick") != 0)) {
        fprintf(stderr, "usage: ring_baseline [--quick] | ring_baseline --check RING BATCH\n");
        return 2;
    }
    int quick = argc > 1;
    double warmup = quick ? 0.3 : 1.0;
    double iteration = quick ? 0.01 : 0.1;
    int iterations = quick ? 30 : 50;
    static const int batches[] = {1, 4, 8, 16, 32, 64, 128, 256};
    static const int rings[] = {64, 128, 256, 512, 1024, 2048, 4096};
    for (size_t b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
        measure("transmit", transmit_batch, 512, batches[b], warmup, iteration, iterations);
        measure("receive", receive_batch, 512, batches[b], warmup, iteration, iterations);
        measure("forward", forward_batch, 512, batches[b], warmup, iteration, iterations);
        measure("device_transmit", device_transmit_only, 512, batches[b], warmup, iteration, iterations);
        measure("device_receive", device_receive_only, 512, batches[b], warmup, iteration, iterations);
        measure("device_forward", device_forward_only, 512, batches[b], warmup, iteration, iterations);
    }
    for (size_t r = 0; r < sizeof(rings) / sizeof(rings[0]); r++) {
        measure("forward", forward_batch, rings[r], 32, warmup, iteration, iterations);
        measure("device_forward", device_forward_only, rings[r], 32, warmup, iteration, iterations);
    }
    return 0;
}
