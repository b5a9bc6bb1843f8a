// A fixed-size histogram of non-negative magnitudes on a logarithmic scale (8 buckets per
// factor of two (exact sub-buckets of the mantissa), from 2^-64 to 2^64, plus a bucket for exact
// zeros). O(1) per value, no allocation after construction. Used by `data inspect` for step sizes
// and run lengths, where a threshold within 9 % is good enough.
#ifndef EMLKIT_DATA_LOG_HISTOGRAM_H_
#define EMLKIT_DATA_LOG_HISTOGRAM_H_

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace emlkit::data {

class LogHistogram {
 public:
  static constexpr int kPerOctave = 8;
  static constexpr int kMinExp = -64, kMaxExp = 64;
  static constexpr int kBuckets = (kMaxExp - kMinExp) * kPerOctave + 1;  // [0] holds zeros

  LogHistogram() : counts_(kBuckets, 0) {}

  // Bucket of a magnitude (negative values count as their absolute value).
  static int Bucket(double v) {
    // Straight from the IEEE-754 bits: the exponent picks the octave, the top 3 mantissa bits
    // the sub-bucket (same result as frexp, without the call).
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    bits &= ~(uint64_t{1} << 63);
    if (bits == 0 || bits >= 0x7FF0000000000000ull) return bits == 0 ? 0 : kBuckets - 1;
    int e = static_cast<int>(bits >> 52) - 1022;  // v = m * 2^e with m in [0.5, 1)
    if (e <= kMinExp) return 1;
    if (e > kMaxExp) return kBuckets - 1;
    int sub = static_cast<int>((bits >> 49) & 7);
    return 1 + (e - 1 - kMinExp) * kPerOctave + sub;
  }
  // The smallest magnitude that falls in bucket b (b >= 1).
  static double LowerEdge(int b) {
    if (b <= 0) return 0;
    int e = (b - 1) / kPerOctave + kMinExp + 1;
    int sub = (b - 1) % kPerOctave;
    return std::ldexp(0.5 + sub / (2.0 * kPerOctave), e);
  }

  void Add(double v) {
    ++counts_[static_cast<size_t>(Bucket(v))];
    ++total_;
  }
  int64_t total() const { return total_; }
  int64_t count(int bucket) const { return counts_[static_cast<size_t>(bucket)]; }

  // The bucket holding the q-quantile (0 <= q <= 1) of the values; 0 if empty.
  int QuantileBucket(double q) const {
    if (total_ == 0) return 0;
    int64_t want = static_cast<int64_t>(std::ceil(q * static_cast<double>(total_)));
    if (want < 1) want = 1;
    int64_t seen = 0;
    for (int b = 0; b < kBuckets; ++b) {
      seen += counts_[static_cast<size_t>(b)];
      if (seen >= want) return b;
    }
    return kBuckets - 1;
  }
  // Values in buckets >= b.
  int64_t CountFrom(int b) const {
    int64_t n = 0;
    for (int i = b; i < kBuckets; ++i) n += counts_[static_cast<size_t>(i)];
    return n;
  }

 private:
  std::vector<int64_t> counts_;
  int64_t total_ = 0;
};

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_LOG_HISTOGRAM_H_
