/*
 * The two rings of the C baseline (ring_baseline.c): the 82574L's legacy transmit descriptors and extended
 * receive descriptors, and TxDescriptorRing/RxDescriptorRing's algorithm line for line, as that file's header
 * describes. Included by ring_baseline.c only: every function is static.
 */
#ifndef NICUP_E1000_RINGS_H
#define NICUP_E1000_RINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- descriptor layouts (reference B.4 and B.18, QEMU e1000_regs.h) ---------------------------- */

struct e1000_tx_desc {
    uint64_t buffer_addr;
    union {
        uint32_t data;
        struct {
            uint16_t length;
            uint8_t cso;
            uint8_t cmd;
        } flags;
    } lower;
    union {
        uint32_t data;
        struct {
            uint8_t status;
            uint8_t css;
            uint16_t special;
        } fields;
    } upper;
};

/* union e1000_rx_desc_extended (reference B.18; ExtRxDescriptor.java): read format in buffer_addr/reserved,
 * write-back format in mrq, rss, status_error (status 7:0 as the legacy byte, errors 31:24) and length. */
struct e1000_rx_desc {
    union {
        uint64_t buffer_addr;
        struct {
            uint32_t mrq;
            uint32_t rss;
        } wb;
    } lower;
    union {
        uint64_t reserved;
        struct {
            uint32_t status_error;
            uint16_t length;
            uint16_t vlan;
        } wb;
    } upper;
};

_Static_assert(sizeof(struct e1000_tx_desc) == 16, "tx desc");
_Static_assert(sizeof(struct e1000_rx_desc) == 16, "rx desc");
_Static_assert(offsetof(struct e1000_rx_desc, upper.wb.status_error) == 8, "rx status_error");
_Static_assert(offsetof(struct e1000_rx_desc, upper.wb.length) == 12, "rx length");

#define CMD_EOP 0x01
#define CMD_IFCS 0x02
#define CMD_RS 0x08
#define TX_CMD (CMD_EOP | CMD_IFCS | CMD_RS)
#define STA_DD 0x01
#define RX_STA_EOP 0x02
#define RX_ERRORS_SHIFT 24
#define ERR_FRAME (0x01 | 0x02 | 0x04 | 0x10 | 0x80)
#define FAULT_FRAGMENT (1 << 16)
#define FAULT_LENGTH (1 << 17)
#define FAULT_ERRORS (1 << 18)
#define FAULT_MASK (FAULT_FRAGMENT | FAULT_LENGTH | FAULT_ERRORS)
#define CLEAN_BATCH 32
#define BUFFER_SIZE 2048
#define BUFFER_SHIFT 11
#define FRAME_LENGTH 60
#define PACKETS 256

#define REG_TDH (0x03810 / 4)
#define REG_TDT (0x03818 / 4)
#define REG_RDH (0x02810 / 4)
#define REG_RDT (0x02818 / 4)

#define NOINLINE __attribute__((noinline))

static inline void doorbell(volatile uint32_t *reg, uint32_t value) {
    __atomic_store_n((uint32_t *) reg, value, __ATOMIC_RELEASE);
}

/* ---- packet buffer pool: a free stack of indexes ------------------------------------------------ */

struct pool {
    uint64_t base_iova;
    int capacity;
    int *stack;
    int top;
};

static inline uint64_t pool_iova(const struct pool *p, int index) {
    return p->base_iova + ((uint64_t) index << BUFFER_SHIFT);
}

static int pool_allocate(struct pool *p) {
    return p->top == 0 ? -1 : p->stack[--p->top];
}

/* ---- TX ring (TxDescriptorRing with TxRing's hooks) ----------------------------------------------- */

/* The branches the benchmark never takes (checksum offload, a frame in pieces, TCP segmentation) keep the
 * product's conditions and stop the program instead of being copied. */
static NOINLINE _Noreturn void cold(const char *what) {
    fprintf(stderr, "ring_baseline: not in the C baseline: %s\n", what);
    exit(1);
}

#define CONTEXT_TAG (-1)
#define MIN_FRAME_LENGTH 14

struct tx_ring {
    struct e1000_tx_desc *ring;
    uint32_t *regs;
    int count, mask;
    int *tags;
    int tail, clean, in_flight;
    long unsubmitted_write_backs;
};

static inline int min_int(int a, int b) {
    return a < b ? a : b;
}

/* TxRing.writeCommand */
static inline void tx_write_command(struct e1000_tx_desc *ring, int t, int length) {
    ring[t].lower.data = (uint32_t) (length & 0xFFFF) | (uint32_t) TX_CMD << 24;
    ring[t].upper.data = 0;
}

static inline int tx_write_context_if_new(int t, int offload) {
    if (offload != 0) {
        cold("a checksum context descriptor");
    }
    return t;
}

static inline int tx_write_frame(struct tx_ring *r, struct e1000_tx_desc *ring, int t, uint64_t iova, int length,
        int offload, int tag) {
    t = tx_write_context_if_new(t, offload);
    ring[t].buffer_addr = iova;
    if (offload == 0) {
        tx_write_command(ring, t, length);
    } else {
        cold("checksum offload");
    }
    r->tags[t] = tag;
    return (t + 1) & r->mask;
}

static int tx_pieces(const int *lengths, int from, int end) {
    int n = 1;
    for (int i = from; i < end - 1 && lengths[i] < 0; i++) {
        n++;
    }
    return n;
}

/* The product adds a context descriptor when the offload's context is not the last one; no offload here. */
static inline int tx_descriptors_for(int offload, int segmentation, int pieces) {
    return segmentation != 0 || offload != 0 ? pieces + 1 : pieces;
}

static inline void tx_clear_done(struct e1000_tx_desc *ring, int slot) {
    ring[slot].upper.fields.status = 0;
}

static inline int tx_is_done(const struct e1000_tx_desc *ring, int slot) {
    return __atomic_load_n(&ring[slot].upper.fields.status, __ATOMIC_ACQUIRE) & STA_DD;
}

/* A DD the device wrote into the slot at the tail, which it was never given: counted and cleared. */
static inline void tx_check_tail(struct tx_ring *r, struct e1000_tx_desc *ring) {
    if (tx_is_done(ring, r->tail)) {
        r->unsubmitted_write_backs++;
        tx_clear_done(ring, r->tail);
    }
}

static inline int tx_submit(struct tx_ring *r, const uint64_t *iovas, const int *lengths, const int *frame_tags,
        const int *offloads, const int *segmentations, int offset, int frames) {
    int free = r->count - 1 - r->in_flight;
    if (free <= 0 || frames <= 0) {
        return 0;
    }
    struct e1000_tx_desc *ring = r->ring;
    tx_check_tail(r, ring);
    int t = r->tail;
    int used = 0;
    int n = 0;
    while (n < frames) {
        int i = offset + n;
        int offload = offloads == NULL ? 0 : offloads[i];
        int pieces = lengths[i] >= 0 ? 1 : tx_pieces(lengths, i, offset + frames);
        int segmentation = segmentations == NULL ? 0 : segmentations[i];
        int need = tx_descriptors_for(offload, segmentation, pieces);
        if (used + need > free) {
            break;
        }
        if (lengths[i] >= 0 && segmentation == 0) {
            t = tx_write_frame(r, ring, t, iovas[i], lengths[i], offload, frame_tags[i]);
        } else {
            cold("a frame in pieces or a TCP segmentation");
        }
        used += need;
        n += pieces;
    }
    if (n == 0) {
        return 0;
    }
    r->tail = t;
    r->in_flight += used;
    doorbell(&r->regs[REG_TDT], (uint32_t) t);
    return n;
}

/* Done with descriptor slot: its DD, or for a context descriptor the DD of the descriptor after it. */
static inline int tx_completed(const struct tx_ring *r, const struct e1000_tx_desc *ring, int slot) {
    return tx_is_done(ring, r->tags[slot] == CONTEXT_TAG ? (slot + 1) & r->mask : slot);
}

static inline int tx_clean(struct tx_ring *r, int *done_tags, int offset, int max) {
    struct e1000_tx_desc *ring = r->ring;
    int *tags = r->tags;
    int mask = r->mask;
    tx_check_tail(r, ring);
    int c = r->clean;
    int pending = r->in_flight;
    int done = 0;
    int out = 0;
    while (pending > 0 && done < max) {
        int step = min_int(min_int(pending, max - done), CLEAN_BATCH);
        int last = (c + step - 1) & mask;
        if (!tx_completed(r, ring, last)) {
            int k = 0;
            while (k < step - 1 && tx_completed(r, ring, (c + k) & mask)) {
                k++;
            }
            step = k;
            pending = 0;
        } else {
            pending -= step;
        }
        for (int j = 0; j < step; j++) {
            int slot = (c + j) & mask;
            if (tags[slot] != CONTEXT_TAG) {
                done_tags[offset + out++] = tags[slot];
            }
            tx_clear_done(ring, slot);
        }
        c = (c + step) & mask;
        done += step;
    }
    r->clean = c;
    r->in_flight -= done;
    return out;
}

/* ---- RX ring (RxDescriptorRing with ExtRxRing's hooks) -------------------------------------------- */

struct rx_ring {
    struct e1000_rx_desc *ring;
    uint32_t *regs;
    int count, mask;
    struct pool *pool;
    int frame_limit;
    int *slot_buffer;
    int next, tail;
    int in_fragmented_frame;
    long unsubmitted_write_backs;
};

/* DD's byte: the low byte of status_error (ExtRxRing passes doneOffset = OFFSET_STATUS_ERROR, doneBit = DD) */
static inline uint8_t *rx_done_byte(struct e1000_rx_desc *ring, int slot) {
    return (uint8_t *) &ring[slot] + offsetof(struct e1000_rx_desc, upper.wb.status_error);
}

static inline void rx_clear_done(struct e1000_rx_desc *ring, int slot) {
    *rx_done_byte(ring, slot) = 0;
}

static inline int rx_is_done(struct e1000_rx_desc *ring, int slot) {
    return __atomic_load_n(rx_done_byte(ring, slot), __ATOMIC_RELAXED) & STA_DD;
}

/* ExtRxRing.writtenBackFlags: one 32-bit load of status_error */
static inline int rx_written_back_flags(const struct e1000_rx_desc *ring, int slot) {
    uint32_t status_error = ring[slot].upper.wb.status_error;
    int errors = (int) (status_error >> RX_ERRORS_SHIFT);
    int f = (int) (status_error & 0xFF) | errors << 8;
    return (errors & ERR_FRAME) ? f | FAULT_ERRORS : f;
}

/* ExtRxRing.clearWriteBack (one 64-bit store of the upper quadword), after the buffer address
 * (RxDescriptorRing.writeBuffer) */
static inline void rx_write_buffer(struct e1000_rx_desc *ring, int slot, uint64_t iova) {
    ring[slot].lower.buffer_addr = iova;
    ring[slot].upper.reserved = 0;
}

static inline int rx_poll(struct rx_ring *r, int *buffers, int *lengths, int *flags, int offset, int max) {
    struct e1000_rx_desc *ring = r->ring;
    int *slot_buffer = r->slot_buffer;
    int mask = r->mask;
    int limit = r->frame_limit - MIN_FRAME_LENGTH;
    if (rx_is_done(ring, r->tail)) {
        r->unsubmitted_write_backs++;            /* never handed over: not a frame of ours */
        rx_clear_done(ring, r->tail);
    }
    int n = min_int(max, (r->tail - r->next) & mask);
    int s = r->next;
    int ready = 0;
    while (ready < n && rx_is_done(ring, (s + ready) & mask)) {
        ready++;
    }
    if (ready == 0) {
        return 0;
    }
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    int fragmented = r->in_fragmented_frame;
    for (int i = 0; i < ready; i++) {
        int f = rx_written_back_flags(ring, s);
        int length = ring[s].upper.wb.length;
        if (!(f & RX_STA_EOP) || fragmented) {
            f |= FAULT_FRAGMENT;
            fragmented = !(f & RX_STA_EOP);
        }
        if ((unsigned) (length - MIN_FRAME_LENGTH) > (unsigned) limit) {
            f |= FAULT_LENGTH;
        }
        rx_clear_done(ring, s);
        int buffer = slot_buffer[s];
        buffers[offset + i] = buffer;
        lengths[offset + i] = length;
        flags[offset + i] = f;
        s = (s + 1) & mask;
    }
    r->next = s;
    r->in_fragmented_frame = fragmented;
    return ready;
}

static inline int rx_refill(struct rx_ring *r, const int *buffer_indexes, int offset, int buffers) {
    int n = min_int(buffers, r->count - 1 - ((r->tail - r->next) & r->mask));
    if (n <= 0) {
        return 0;
    }
    struct e1000_rx_desc *ring = r->ring;
    int *slot_buffer = r->slot_buffer;
    int mask = r->mask;
    int t = r->tail;
    for (int i = 0; i < n; i++) {
        int buffer = buffer_indexes[offset + i];
        slot_buffer[t] = buffer;
        rx_write_buffer(ring, t, pool_iova(r->pool, buffer));
        t = (t + 1) & mask;
    }
    r->tail = t;
    doorbell(&r->regs[REG_RDT], (uint32_t) t);
    return n;
}

static int rx_refill_from_pool(struct rx_ring *r, int max) {
    int n = min_int(max, r->count - 1 - ((r->tail - r->next) & r->mask));
    int t = r->tail;
    int i = 0;
    for (; i < n; i++) {
        int buffer = pool_allocate(r->pool);
        if (buffer < 0) {
            break;
        }
        r->slot_buffer[t] = buffer;
        rx_write_buffer(r->ring, t, pool_iova(r->pool, buffer));
        t = (t + 1) & r->mask;
    }
    if (i > 0) {
        r->tail = t;
        doorbell(&r->regs[REG_RDT], (uint32_t) t);
    }
    return i;
}

#endif /* NICUP_E1000_RINGS_H */
