/* Exit codes of emlkit firmware run by `emlkit sim --emulate` (plain C: startup code, the replay
 * harness and the host tool src/sim/ include this one file). */
#ifndef EMLKIT_TARGETS_HARNESS_EXIT_CODES_H_
#define EMLKIT_TARGETS_HARNESS_EXIT_CODES_H_

#define EMLKIT_EXIT_OK 0
#define EMLKIT_EXIT_INIT_FAILED 3   /* Interpreter::Init did not return kOk */
#define EMLKIT_EXIT_INVOKE_FAILED 4 /* Invoke (or Input/Output) did not return kOk */
#define EMLKIT_EXIT_FAULT 5         /* HardFault / trap / signal handler */
#define EMLKIT_EXIT_HARNESS 6       /* bad harness arguments, a file it cannot open or read */

#endif /* EMLKIT_TARGETS_HARNESS_EXIT_CODES_H_ */
