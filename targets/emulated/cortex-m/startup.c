/* Startup for the emulated Cortex-M targets (mps2-an385/an386/an500): vector table, reset
 * handler (FPU on, .data copied, .bss and .tbss zeroed, TLS base for picolibc), the command line
 * from semihosting (SYS_GET_CMDLINE) as argc/argv (none with -DEMLKIT_STARTUP_NO_ARGS, for a
 * deployable image), and a fault handler that exits through
 * semihosting with EMLKIT_EXIT_FAULT so a fault never locks up the emulator. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/exit_codes.h"

extern uint32_t __stack[];
extern char __data_source[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern char __tls_base[];
extern void _set_tls(void* tls);
extern int main(int argc, char** argv);

void Reset_Handler(void);
void emlkit_fault_handler(void);

static void DefaultHandler(void) {
  for (;;) {
  }
}

/* Initial SP, reset, NMI, HardFault, MemManage, BusFault, UsageFault, then the rest. */
__attribute__((section(".vectors"), used)) void (*const emlkit_vectors[16])(void) = {
    (void (*)(void))__stack,
    Reset_Handler,
    emlkit_fault_handler,
    emlkit_fault_handler,
    emlkit_fault_handler,
    emlkit_fault_handler,
    emlkit_fault_handler,
    0,
    0,
    0,
    0,
    DefaultHandler,
    DefaultHandler,
    0,
    DefaultHandler,
    DefaultHandler,
};

void emlkit_fault_handler(void) { _exit(EMLKIT_EXIT_FAULT); }

#if defined(EMLKIT_STARTUP_NO_ARGS)
/* A deployable image (no host to ask): main gets no arguments and no 1 KB command-line buffer. */
static char* argv_storage[1];
static int SplitCommandLine(void) { return 0; }
#else
static int Semihost(int op, void* arg) {
  register int r0 __asm__("r0") = op;
  register void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

#define EMLKIT_MAX_ARGS 16
static char cmdline[1024];
static char* argv_storage[EMLKIT_MAX_ARGS + 1];

static int SplitCommandLine(void) {
  struct {
    char* buf;
    int len;
  } block = {cmdline, (int)sizeof(cmdline) - 1};
  if (Semihost(0x15 /* SYS_GET_CMDLINE */, &block) != 0) return 0;
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
#endif

void Reset_Handler(void) {
#if defined(__ARM_FP)
  /* CPACR: full access to CP10 and CP11, or the first float instruction faults. */
  *(volatile uint32_t*)0xE000ED88u |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  memcpy(__data_start, __data_source, (size_t)(__data_end - __data_start));
  memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
  _set_tls(__tls_base);
  int argc = SplitCommandLine();
  exit(main(argc, argv_storage));
}
