// Streams the Arduino Nano 33 BLE Sense's sensors over USB serial in the format `emlkit collect`
// and `emlkit monitor` read: a header line naming the columns, then one sample per line, values
// separated by commas.
//
//   MODE_IMU:  aX,aY,aZ (g), gX,gY,gZ (deg/s) at the IMU's 119 Hz — gestures, vibration.
//   MODE_ROOM: temperature_c, humidity_pct (HTS221), pressure_kpa (LPS22HB), light (APDS9960
//              clear channel), proximity, once a second — the thermostat's room sensors.
//
// Libraries (Arduino IDE: Tools > Manage Libraries): Arduino_LSM9DS1 (board rev 1; rev 2 boards
// carry a BMI270/BMM150: use Arduino_BMI270_BMM150 and the same calls), Arduino_HTS221,
// Arduino_LPS22HB, Arduino_APDS9960.
//
// Then, on the host:
//   emlkit collect --port /dev/ttyACM0 --label punch --segment 119 --duration 60s --out punch.csv
//   emlkit monitor --port /dev/ttyACM0 --model gesture_int8.tflite
#include <Arduino_APDS9960.h>
#include <Arduino_HTS221.h>
#include <Arduino_LPS22HB.h>
#include <Arduino_LSM9DS1.h>

#define MODE_IMU 1
#define MODE_ROOM 2
#define MODE MODE_IMU  // which sensors to stream

static const unsigned long kRoomPeriodMs = 1000;

static void Fail(const char* what) {
  // A line that is not numbers: `emlkit collect` counts it as malformed and shows it.
  while (true) {
    Serial.print("error: ");
    Serial.println(what);
    delay(1000);
  }
}

void setup() {
  Serial.begin(115200);
  while (!Serial) {
  }  // the USB port opens when the host starts reading
#if MODE == MODE_IMU
  if (!IMU.begin()) Fail("IMU (LSM9DS1) not found");
  Serial.println("aX,aY,aZ,gX,gY,gZ");
#else
  if (!HTS.begin()) Fail("HTS221 not found");
  if (!BARO.begin()) Fail("LPS22HB not found");
  if (!APDS.begin()) Fail("APDS9960 not found");
  Serial.println("temperature_c,humidity_pct,pressure_kpa,light,proximity");
#endif
}

#if MODE == MODE_IMU
void loop() {
  float ax, ay, az, gx, gy, gz;
  // Accelerometer and gyroscope both run at 119 Hz: one line per new pair of samples, so the
  // host measures the IMU's own rate.
  if (!IMU.accelerationAvailable() || !IMU.gyroscopeAvailable()) return;
  IMU.readAcceleration(ax, ay, az);
  IMU.readGyroscope(gx, gy, gz);
  Serial.print(ax, 3);
  Serial.print(',');
  Serial.print(ay, 3);
  Serial.print(',');
  Serial.print(az, 3);
  Serial.print(',');
  Serial.print(gx, 2);
  Serial.print(',');
  Serial.print(gy, 2);
  Serial.print(',');
  Serial.println(gz, 2);
}
#else
void loop() {
  static unsigned long next = 0;
  static int r = 0, g = 0, b = 0, clear = 0, proximity = 0;
  unsigned long now = millis();
  if (APDS.colorAvailable()) APDS.readColor(r, g, b, clear);
  if (APDS.proximityAvailable()) proximity = APDS.readProximity();
  if ((long)(now - next) < 0) return;
  next = now + kRoomPeriodMs;
  Serial.print(HTS.readTemperature(), 2);
  Serial.print(',');
  Serial.print(HTS.readHumidity(), 1);
  Serial.print(',');
  Serial.print(BARO.readPressure(), 3);
  Serial.print(',');
  Serial.print(clear);
  Serial.print(',');
  Serial.println(proximity);
}
#endif
