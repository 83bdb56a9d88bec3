// Measures what two threads pinned to processors 0 and 1 cost each other, to tell which state a 2-core virtual
// machine is in. Every figure is printed on one line, so that runs before and after a benchmark can be compared.
//
//   gcc -O2 -mavx512f -o cache_probes cache_probes.c -lpthread && ./cache_probes
//
// Needs Linux, two processors and AVX-512 (the benchmarks' machine). See README.md beside it for what each figure
// showed on that machine.

#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { Kib = 1024 };

static volatile float sink;
static _Alignas(64) atomic_long turn;
static _Alignas(64) atomic_long arrived;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void pin(int processor)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(processor, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0)
    {
        fprintf(stderr, "failed to pin a thread to processor %d\n", processor);
        exit(1);
    }
}

static float* allocate(size_t bytes)
{
    float* values = aligned_alloc(4096, bytes);
    if (values == NULL)
    {
        fprintf(stderr, "failed to allocate %zu bytes\n", bytes);
        exit(1);
    }

    memset(values, 0, bytes);
    return values;
}

// Waits until both threads have arrived. generation counts this thread's calls.
static void barrier(long* generation)
{
    long target = 2 * ++*generation;
    atomic_fetch_add(&arrived, 1);
    while (atomic_load(&arrived) < target)
    {
        _mm_pause();
    }
}

typedef struct
{
    int processor;
    int kind;
    double result;
} Task;

enum { MultiplyAdds, Handoff, InterleavedWrites, PrivateWrites, OverwriteShared };

static float* shared;
static float* own[2];
static size_t sharedFloats;
static int pieceFloats;

// 12 independent sums of 16 floats, 2^21 steps: GFLOP/s of this thread.
static double multiply_adds(void)
{
    const long steps = 1L << 21;
    __m512 a = _mm512_set1_ps(1.0000001f), b = _mm512_set1_ps(0.9999999f);
    __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0;
    __m512 s6 = s0, s7 = s0, s8 = s0, s9 = s0, s10 = s0, s11 = s0;
    double start = now();
    for (long i = 0; i < steps; i++)
    {
        s0 = _mm512_fmadd_ps(a, b, s0); s1 = _mm512_fmadd_ps(a, b, s1); s2 = _mm512_fmadd_ps(a, b, s2);
        s3 = _mm512_fmadd_ps(a, b, s3); s4 = _mm512_fmadd_ps(a, b, s4); s5 = _mm512_fmadd_ps(a, b, s5);
        s6 = _mm512_fmadd_ps(a, b, s6); s7 = _mm512_fmadd_ps(a, b, s7); s8 = _mm512_fmadd_ps(a, b, s8);
        s9 = _mm512_fmadd_ps(a, b, s9); s10 = _mm512_fmadd_ps(a, b, s10); s11 = _mm512_fmadd_ps(a, b, s11);
        __asm__ volatile("" : "+v"(s0), "+v"(s1), "+v"(s2), "+v"(s3), "+v"(s4), "+v"(s5),
                              "+v"(s6), "+v"(s7), "+v"(s8), "+v"(s9), "+v"(s10), "+v"(s11));
    }

    double seconds = now() - start;
    sink = _mm512_reduce_add_ps(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    return 2.0 * 12 * 16 * steps / seconds / 1e9;
}

// Passes a counter back and forth 200,000 times: nanoseconds per one-way pass.
static double handoff(int me)
{
    const long passes = 200000;
    double start = now();
    for (long value = me; value < passes; value += 2)
    {
        while (atomic_load_explicit(&turn, memory_order_acquire) != value)
        {
            _mm_pause();
        }

        atomic_store_explicit(&turn, value + 1, memory_order_release);
    }

    return (now() - start) / passes * 1e9;
}

// Writes this thread's half of the shared array: alternate pieces of pieceFloats, or a contiguous half. GB/s.
static double writes(int me, int interleaved)
{
    const int rounds = 4000;
    __m512 v = _mm512_set1_ps(1.0f);
    double start = now();
    for (int r = 0; r < rounds; r++)
    {
        if (interleaved)
        {
            for (size_t row = 0; row < sharedFloats; row += 2 * (size_t)pieceFloats)
            {
                float* piece = shared + row + (size_t)me * pieceFloats;
                for (int i = 0; i < pieceFloats; i += 16)
                {
                    _mm512_store_ps(piece + i, v);
                }
            }
        }
        else
        {
            float* half = own[me];
            for (size_t i = 0; i < sharedFloats / 2; i += 16)
            {
                _mm512_store_ps(half + i, v);
            }
        }
    }

    return (double)sharedFloats / 2 * sizeof(float) * rounds / (now() - start) / 1e9;
}

// Both threads read the whole shared array, then each overwrites its contiguous half: microseconds per overwrite.
static double overwrite_shared(int me)
{
    const int rounds = 1000;
    long generation = 0;
    double total = 0;
    __m512 sum = _mm512_setzero_ps(), v = _mm512_set1_ps(1.0f);
    for (int r = 0; r < rounds; r++)
    {
        for (size_t i = 0; i < sharedFloats; i += 16)
        {
            sum += _mm512_load_ps(shared + i);
        }

        barrier(&generation);
        double start = now();
        for (size_t i = me * sharedFloats / 2; i < (me + 1) * sharedFloats / 2; i += 16)
        {
            _mm512_store_ps(shared + i, v);
        }

        total += now() - start;
        barrier(&generation);
    }

    sink = _mm512_reduce_add_ps(sum);
    return total / rounds * 1e6;
}

static void* run(void* argument)
{
    Task* task = argument;
    pin(task->processor);
    switch (task->kind)
    {
        case MultiplyAdds: task->result = multiply_adds(); break;
        case Handoff: task->result = handoff(task->processor); break;
        case InterleavedWrites: task->result = writes(task->processor, 1); break;
        case PrivateWrites: task->result = writes(task->processor, 0); break;
        case OverwriteShared: task->result = overwrite_shared(task->processor); break;
    }

    return NULL;
}

// Runs kind on processor 0 alone (both == 0) or on both processors at once, and returns both results.
static void measure(int kind, int both, double results[2])
{
    Task tasks[2] = { { 0, kind, 0 }, { 1, kind, 0 } };
    pthread_t threads[2];
    atomic_store(&turn, 0);
    atomic_store(&arrived, 0);
    for (int i = 0; i <= both; i++)
    {
        pthread_create(&threads[i], NULL, run, &tasks[i]);
    }

    for (int i = 0; i <= both; i++)
    {
        pthread_join(threads[i], NULL);
    }

    results[0] = tasks[0].result;
    results[1] = tasks[1].result;
}

int main(void)
{
    sharedFloats = 128 * Kib / sizeof(float);
    shared = allocate(128 * Kib);
    own[0] = allocate(64 * Kib);
    own[1] = allocate(64 * Kib);

    double alone[2], together[2], handoffs[2], privateWrites[2], piece256[2], piece512[2], overwrite[2];
    measure(MultiplyAdds, 0, alone);
    measure(MultiplyAdds, 1, together);
    measure(Handoff, 1, handoffs);
    measure(PrivateWrites, 1, privateWrites);
    pieceFloats = 64;
    measure(InterleavedWrites, 1, piece256);
    pieceFloats = 128;
    measure(InterleavedWrites, 1, piece512);
    measure(OverwriteShared, 1, overwrite);

    printf("handoff %.0f ns | multiply-adds %.0f GFLOP/s alone, %.0f together | writes into 64 KiB each: own arrays "
           "%.0f GB/s, alternate 256-byte pieces of one array %.0f, 512-byte pieces %.0f | overwriting 64 KiB both "
           "had read: %.1f us\n",
           handoffs[0], alone[0], together[0] + together[1], privateWrites[0] + privateWrites[1],
           piece256[0] + piece256[1], piece512[0] + piece512[1], (overwrite[0] + overwrite[1]) / 2);
    return 0;
}
