# Writes the synthetic wrist-IMU recordings of this example (25 Hz, accelerometer in g,
# gyroscope in rad/s): rest, wave, circle and shake, in sessions of 20 s with their own speed,
# size and sensor noise. The files in data/ were made with
#   awk -v seed=1 -v rounds=3 -f make_data.awk > data/gestures_train.csv
#   awk -v seed=2 -v rounds=1 -f make_data.awk > data/gestures_test.csv
# Replace them with your own recordings (one row per sample, a `gesture` column).
function gauss() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307 * rand()) }
BEGIN {
  srand(seed); pi = 3.14159265
  split("rest wave circle shake", names, " ")
  print "ax,ay,az,gx,gy,gz,gesture"
  for (r = 0; r < rounds; ++r) for (g = 1; g <= 4; ++g) {
    f = (0.8 + 0.4 * rand()); a = (0.7 + 0.6 * rand()); noise = 0.02 + 0.03 * rand()
    ph = 2 * pi * rand()
    for (i = 0; i < 500; ++i) {
      t = i / 25.0
      ax = 0; ay = 0; az = 1; gx = 0; gy = 0; gz = 0
      if (names[g] == "wave") {
        w = 2 * pi * 2 * f * t + ph
        ax = 0.8 * a * sin(w); gz = 3 * a * cos(w); gy = 0.5 * a * sin(w)
      } else if (names[g] == "circle") {
        w = 2 * pi * 1 * f * t + ph
        ax = 0.5 * a * sin(w); ay = 0.5 * a * cos(w); gx = 1.5 * a * cos(w); gy = -1.5 * a * sin(w)
      } else if (names[g] == "shake") {
        w = 2 * pi * 6 * f * t + ph
        ax = 1.5 * a * sin(w); az = 1 + 0.6 * a * sin(2 * w); gx = 2 * a * sin(w + 1)
      }
      printf "%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%s\n", ax + noise * gauss(), ay + noise * gauss(),
             az + noise * gauss(), gx + 5 * noise * gauss(), gy + 5 * noise * gauss(),
             gz + 5 * noise * gauss(), names[g]
    }
  }
}
