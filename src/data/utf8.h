// UTF-8 validation (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
#ifndef EMLKIT_DATA_UTF8_H_
#define EMLKIT_DATA_UTF8_H_

#include <cstddef>

namespace emlkit::data {

bool IsValidUtf8(const char* p, size_t n);

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_UTF8_H_
