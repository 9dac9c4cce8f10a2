#!/usr/bin/python3
"""Writes the HDF5 files of Hdf5LayoutsTest: the layouts pandas, PyTables and h5py users write.

Run with Debian's python3-pandas, python3-tables and python3-h5py:
    cd src/test/resources/hdf5 && /usr/bin/python3 make_files.py
Every file holds the same four events: run (int64), event (int64), pt and eta (float64),
and in the pandas files a text column 'state'.
"""
import h5py
import numpy as np
import pandas as pd

RUN = np.array([7, 7, 7, 8], dtype=np.int64)
EVENT = np.array([100, 101, 102, 103], dtype=np.int64)
PT = np.array([1.5, 2.25, -0.5, 40.0])
ETA = np.array([0.0, 0.125, -2.5, 1.0])
STATE = ["ALL_IN", "ALL_IN", "ECAL_OUT", "ALL_IN"]


def frame(text=True):
    columns = {"run": RUN, "event": EVENT, "pt": PT, "eta": ETA}
    if text:
        columns["state"] = STATE
    return pd.DataFrame(columns)


def pandas_files():
    # A fixed store keeps text columns as pickled objects, which Java cannot read: numbers only,
    # in two blocks (int64 run and event, float64 pt and eta).
    frame(False).to_hdf("pandas_fixed.h5", "events", format="fixed", mode="w")
    frame(False).to_hdf("pandas_fixed_gzip.h5", "events", format="fixed", mode="w", complevel=4, complib="zlib")
    # What to_hdf(format="table") writes. index=False (no PyTables search index) and zlib keep
    # the files small: an uncompressed table is one 64 KB chunk.
    table("pandas_table.h5", complevel=1, complib="zlib")
    table("pandas_table_columns.h5", complevel=1, complib="zlib", data_columns=True)
    table("pandas_blosc.h5", complevel=4, complib="blosc")


def table(path, complevel=None, complib=None, **options):
    with pd.HDFStore(path, "w", complevel=complevel, complib=complib) as store:
        store.append("events", frame(), index=False, expectedrows=4, **options)


def matrix(path, **options):
    with h5py.File(path, "w") as f:
        f.create_dataset("features", data=np.stack([RUN, EVENT, PT, ETA], axis=1).astype(np.float64), **options)
        f.create_dataset("feature_names", data=np.array([b"run", b"event", b"pt", b"eta"]))
        f.create_dataset("label", data=np.array([b"", b"signal", b"", b""]))


def h5py_files():
    matrix("matrix.h5")
    matrix("matrix_gzip.h5", chunks=(2, 4), compression="gzip")
    matrix("matrix_shuffle_gzip.h5", chunks=(2, 4), compression="gzip", shuffle=True)
    matrix("matrix_lzf.h5", chunks=(2, 4), compression="lzf")
    with h5py.File("unknown_layout.h5", "w") as f:
        g = f.create_group("stuff")
        g.create_dataset("image", data=np.zeros((2, 3, 4), dtype=np.float32))
        g.create_group("nested")


pandas_files()
h5py_files()
