/*
 * The native reference for `npm run bench`: build/marking.wasm translated by wasm2c and built
 * with gcc -O2, decoding the same markings through the same batch entry point, copying each
 * batch into linear memory as firmware would. Prints "<ns per marking> <valid markings>".
 *
 *   native <markings file: one per line> <rounds>
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "marking.h"
#include "wasm-rt-impl.h"

#ifdef WASM2C_OLD_NAMES   /* wabt 1.0.30-1.0.32 */
typedef Z_marking_instance_t w2c_marking;
#define wasm2c_marking_instantiate(m) (Z_marking_init_module(), Z_marking_instantiate(m))
#define w2c_marking_memory Z_markingZ_memory
#define w2c_marking_batchInput Z_markingZ_batchInput
#define w2c_marking_batchInputCapacity Z_markingZ_batchInputCapacity
#define w2c_marking_batchCapacity Z_markingZ_batchCapacity
#define w2c_marking_batchInfo Z_markingZ_batchInfo
#define w2c_marking_decodeBatch Z_markingZ_decodeBatch
#endif

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int by_value(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
  if (argc != 3) { fprintf(stderr, "usage: native <markings file> <rounds>\n"); return 2; }
  FILE* f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 2; }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* text = malloc((size_t)size + 1);
  if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
  fclose(f);
  int rounds = atoi(argv[2]);

  wasm_rt_init();
  w2c_marking m;
  wasm2c_marking_instantiate(&m);
  uint8_t* memory = w2c_marking_memory(&m)->data;
  uint32_t in_at = w2c_marking_batchInput(&m), info_at = w2c_marking_batchInfo(&m);
  uint32_t in_cap = w2c_marking_batchInputCapacity(&m), cap = w2c_marking_batchCapacity(&m);

  /* Batches as the host makes them: at most `cap` markings and `in_cap` bytes, joined by '\n'. */
  long starts[1 << 16], lens[1 << 16];
  int batches = 0;
  long markings = 0;
  for (long at = 0; at < size && batches < (1 << 16);) {
    long end = at, count = 0;
    while (end < size && count < cap) {
      long line = end;
      while (line < size && text[line] != '\n') line++;
      if (line - at > in_cap) break;
      end = line < size ? line + 1 : line;
      count++;
    }
    starts[batches] = at;
    lens[batches] = (end > at && text[end - 1] == '\n') ? end - at - 1 : end - at;
    batches++;
    markings += count;
    at = end;
  }

  double* times = malloc(sizeof(double) * (size_t)rounds);
  long valid = 0;
  for (int r = -1; r < rounds; r++) {               /* round -1 warms up */
    long ok = 0;
    double t0 = now_ns();
    for (int b = 0; b < batches; b++) {
      memcpy(memory + in_at, text + starts[b], (size_t)lens[b]);
      int32_t n = (int32_t)w2c_marking_decodeBatch(&m, (uint32_t)lens[b], 0);
      for (int32_t i = 0; i < n; i++) {
        int32_t word;
        memcpy(&word, memory + info_at + 4u * (uint32_t)i, 4);
        if ((word & 0xff) == 0) ok++;
      }
    }
    if (r >= 0) times[r] = (now_ns() - t0) / (double)markings;
    valid = ok;
  }
  qsort(times, (size_t)rounds, sizeof(double), by_value);
  printf("%.3f %ld %ld\n", times[rounds / 2], valid, markings);
  return 0;
}
