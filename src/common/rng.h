// Deterministic random numbers: the same seed gives the same sequence on every platform and
// compiler (unlike std::*_distribution, whose algorithms are implementation-defined). Every
// seeded part of emlkit (splits, weight init, shuffling, the room simulator) uses this.
#ifndef EMLKIT_COMMON_RNG_H_
#define EMLKIT_COMMON_RNG_H_

#include <cmath>
#include <cstdint>

namespace emlkit {

// SplitMix64 step: also the generator the golden inputs were made with (see shared/golden).
inline uint64_t SplitMix64(uint64_t& state) {
  state += 0x9E3779B97F4A7C15ull;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// xoshiro256** seeded through SplitMix64. Not thread-safe; give each thread its own.
class Rng {
 public:
  explicit Rng(uint64_t seed = 0) { Seed(seed); }
  void Seed(uint64_t seed) {
    uint64_t sm = seed;
    for (uint64_t& w : s_) w = SplitMix64(sm);
    has_spare_ = false;
  }
  uint64_t Next() {
    uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [0, n), n > 0, without modulo bias.
  uint64_t Below(uint64_t n) {
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t r;
    do r = Next();
    while (r >= limit);
    return r % n;
  }
  bool Bernoulli(double p) { return Uniform() < p; }
  // Standard normal (Marsaglia polar method, deterministic).
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = Uniform() * 2.0 - 1.0;
      v = Uniform() * 2.0 - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double m = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * m;
    has_spare_ = true;
    return u * m;
  }
  double Normal(double mean, double stddev) { return mean + stddev * Normal(); }
  // Fisher-Yates shuffle of [first, first + n).
  template <typename T>
  void Shuffle(T* first, uint64_t n) {
    for (uint64_t i = n; i > 1; --i) {
      uint64_t j = Below(i);
      T tmp = first[i - 1];
      first[i - 1] = first[j];
      first[j] = tmp;
    }
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace emlkit

#endif  // EMLKIT_COMMON_RNG_H_
