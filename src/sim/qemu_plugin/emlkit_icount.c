/* emlkit_icount: a QEMU TCG plugin counting guest instructions exactly, for `emlkit sim`.
 *
 *   -plugin libemlkit_icount.so,arg=out=LOG,arg=marks=ADDR:ADDR:...
 *
 * Every executed instruction adds 1 to a counter (an inline add, no callback). When the first
 * instruction of marker k (the k-th address of `marks`, hexadecimal) is about to execute, the
 * line "k COUNT" is written to LOG, COUNT being the instructions executed before it; at exit,
 * "end COUNT". Differences between two lines are exact instruction counts. The log is line
 * buffered, so a run killed by a timeout still leaves every event before the kill.
 *
 * Debian's QEMU 7.2 loads plugins but ships no qemu-plugin.h: the few API functions used are
 * declared here by hand (plugin API version 1; single vCPU guests). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS = 0 };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 = 0 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb* tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void* userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void* userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb* tb);
struct qemu_plugin_insn* qemu_plugin_tb_get_insn(const struct qemu_plugin_tb* tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn* insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn* insn,
                                                enum qemu_plugin_op op, void* ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn* insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void* userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void* userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define MAX_MARKS 32
static uint64_t insn_count;
static uint64_t marks[MAX_MARKS];
static size_t num_marks;
static FILE* log_file;

static void OnMarker(unsigned int vcpu_index, void* userdata) {
  (void)vcpu_index;
  /* The inline add of this instruction may or may not have run yet; it is the same for every
   * marker, so differences are exact. */
  fprintf(log_file, "%u %" PRIu64 "\n", (unsigned)(uintptr_t)userdata, insn_count);
}

static void OnTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &insn_count, 1);
    uint64_t pc = qemu_plugin_insn_vaddr(insn);
    for (size_t k = 0; k < num_marks; ++k) {
      if (marks[k] == pc) {
        qemu_plugin_register_vcpu_insn_exec_cb(insn, OnMarker, QEMU_PLUGIN_CB_NO_REGS,
                                               (void*)(uintptr_t)k);
      }
    }
  }
}

static void OnExit(qemu_plugin_id_t id, void* userdata) {
  (void)id;
  (void)userdata;
  fprintf(log_file, "end %" PRIu64 "\n", insn_count);
  fflush(log_file);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id,
                                                               const qemu_info_t* info, int argc,
                                                               char** argv) {
  (void)info;
  const char* out = NULL;
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "out=", 4) == 0) {
      out = argv[i] + 4;
    } else if (strncmp(argv[i], "marks=", 6) == 0) {
      const char* p = argv[i] + 6;
      while (*p != '\0' && num_marks < MAX_MARKS) {
        char* end = NULL;
        marks[num_marks++] = strtoull(p, &end, 16);
        if (end == p) break;
        p = *end == ':' ? end + 1 : end;
      }
    } else {
      fprintf(stderr, "emlkit_icount: unknown argument '%s' (expected out=FILE, marks=A:B:...)\n",
              argv[i]);
      return 1;
    }
  }
  if (out == NULL) {
    fprintf(stderr, "emlkit_icount: missing out=FILE\n");
    return 1;
  }
  log_file = fopen(out, "w");
  if (log_file == NULL) {
    fprintf(stderr, "emlkit_icount: cannot create %s\n", out);
    return 1;
  }
  setvbuf(log_file, NULL, _IOLBF, 0);
  qemu_plugin_register_vcpu_tb_trans_cb(id, OnTranslate);
  qemu_plugin_register_atexit_cb(id, OnExit, NULL);
  return 0;
}
