"""Peer for bench/roomsim/run: pandas writing the rows emlkit roomsim wrote.

Reads CSV (untimed), then times DataFrame.to_csv of the same frame with the same fixed
decimals per column, and prints the seconds. Only the writing is timed, so the peer does
strictly less work than emlkit (which also simulates the room).
"""
import sys
import time

import pandas as pd

src, dst = sys.argv[1], sys.argv[2]
df = pd.read_csv(src, keep_default_na=False, dtype=str)
for col, dec in (("temperature_c", 2), ("humidity_pct", 2), ("light_lux", 0), ("co2_ppm", 0),
                 ("heater_w", 0)):
    df[col] = pd.to_numeric(df[col]).round(dec)
df["timestamp"] = pd.to_datetime(df["timestamp"])
for col in ("motion", "occupied", "occupants"):
    df[col] = pd.to_numeric(df[col]).astype("int64")
start = time.perf_counter()
df.to_csv(dst, index=False, date_format="%Y-%m-%d %H:%M:%S", float_format="%.2f")
print(f"{time.perf_counter() - start:.3f}")
