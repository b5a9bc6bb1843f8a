/* Startup for the emulated rv32 target (QEMU virt, -bios none: execution starts at 0x80000000 in
 * machine mode): stack and global pointer, a trap vector that exits through semihosting with
 * EMLKIT_EXIT_FAULT (illegal instruction, misaligned or bad access...), .data copied, .bss and
 * .tbss zeroed, the TLS pointer for picolibc, the command line from semihosting as argc/argv. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/exit_codes.h"

extern char __data_source[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern char __tls_base[];
extern void _set_tls(void* tls);
extern int sys_semihost_get_cmdline(char* buf, int size);
extern int main(int argc, char** argv);

void emlkit_start_c(void);

__attribute__((naked, section(".text.init.enter"))) void _start(void) {
  __asm__ volatile(
      ".option push\n"
      ".option norelax\n"
      "la gp, __global_pointer$\n"
      ".option pop\n"
      "la sp, __stack\n"
      "j emlkit_start_c\n");
}

void emlkit_fault_handler(void) { _exit(EMLKIT_EXIT_FAULT); }

/* mtvec needs a 4-byte aligned address (direct mode). */
__attribute__((naked, aligned(4))) void emlkit_trap(void) {
  __asm__ volatile(
      "la sp, __stack\n"
      "j emlkit_fault_handler\n");
}

#define EMLKIT_MAX_ARGS 16
static char cmdline[1024];
static char* argv_storage[EMLKIT_MAX_ARGS + 1];

static int SplitCommandLine(void) {
  if (sys_semihost_get_cmdline(cmdline, (int)sizeof(cmdline) - 1) != 0) return 0;
  int argc = 0;
  char* p = cmdline;
  while (*p != '\0' && argc < EMLKIT_MAX_ARGS) {
    while (*p == ' ') *p++ = '\0';
    if (*p == '\0') break;
    argv_storage[argc++] = p;
    while (*p != '\0' && *p != ' ') ++p;
  }
  argv_storage[argc] = 0;
  return argc;
}

void emlkit_start_c(void) {
  __asm__ volatile(
      ".option push\n"
      ".option arch, +zicsr\n"
      "csrw mtvec, %0\n"
      ".option pop\n" ::"r"(emlkit_trap));
  memcpy(__data_start, __data_source, (size_t)(__data_end - __data_start));
  memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
  _set_tls(__tls_base);
  int argc = SplitCommandLine();
  exit(main(argc, argv_storage));
}
