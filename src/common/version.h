#ifndef EMLKIT_COMMON_VERSION_H_
#define EMLKIT_COMMON_VERSION_H_

namespace emlkit {
// Semantic version of the emlkit tool and of the formats it writes (dataset.json, metadata).
inline constexpr const char* kVersion = "0.1.0";
}  // namespace emlkit

#endif  // EMLKIT_COMMON_VERSION_H_
