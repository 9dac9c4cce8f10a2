"""Writes the HDF5 fixtures of the replay reader tests (run with Debian's python3-h5py 3.7)."""
import h5py
import numpy as np

ROWS = 6
run = np.full(ROWS, 7, dtype='<i8')
lumi = np.array([1, 1, 2, 2, 3, 3], dtype='<i4')
event = np.arange(100, 100 + ROWS, dtype='<i8')
seconds = 1.7e9 + np.arange(ROWS) * 0.25
pileup = np.array([22.5, 31.0, 38.5, 44.0, 52.5, 60.0], dtype='<f4')
state = np.array([b'ALL_IN', b'ALL_IN', b'ECAL_ENDCAP_OUT', b'ALL_IN', b'ALL_IN', b'ALL_IN'], dtype='S16')
fill = np.array([8001, 8001, 8001, 8002, 8002, 8002], dtype='<i4')
f0 = (np.arange(ROWS) * 1.5).astype('<f4')
f1 = (np.arange(ROWS) * -0.25).astype('<f8')
f2 = np.arange(ROWS, dtype='<i4') * 10
f1[3] = np.nan
label = ['', 'signal', '', '', 'signal', '']

# A compound dataset: one field per column, plus an array field that is not a column; the same
# again chunked and compressed.
compound = np.zeros(ROWS, dtype=[('run', '<i8'), ('lumi', '<i4'), ('event', '<i8'), ('time_s', '<f8'),
                                 ('pileup', '<f4'), ('state', 'S16'), ('fill', '<i4'), ('f0', '<f4'),
                                 ('f1', '<f8'), ('f2', '<i4'), ('label', h5py.string_dtype()),
                                 ('vec', '<f4', (3,))])
for name, values in [('run', run), ('lumi', lumi), ('event', event), ('time_s', seconds), ('pileup', pileup),
                     ('state', state), ('fill', fill), ('f0', f0), ('f1', f1), ('f2', f2), ('label', label)]:
    compound[name] = values
with h5py.File('compound.h5', 'w') as f:
    f.create_dataset('events', data=compound)
    f.create_group('chunked').create_dataset('events', data=compound, chunks=(4,), compression='gzip')

# A group of 1-D datasets, chunked and compressed so that reads cross chunks; a 2-D dataset and a
# sub-group that are not columns; a text column with one value that is not a number.
with h5py.File('group.h5', 'w') as f:
    g = f.create_group('data')
    for name, values in [('run', run), ('lumi', lumi), ('event', event), ('time_s', seconds), ('pileup', pileup),
                         ('fill', fill), ('f0', f0), ('f1', f1), ('f2', f2)]:
        g.create_dataset(name, data=values, chunks=(4,), compression='gzip')
    g.create_dataset('state', data=state)
    g.create_dataset('label', data=np.array(label, dtype=object), dtype=h5py.string_dtype())
    g.create_dataset('pileup_text', data=np.array(['22.5', '31', 'high', '44', '52.5', '60'], dtype=object),
                     dtype=h5py.string_dtype())
    g.create_dataset('matrix', data=np.zeros((ROWS, 3)))
    g.create_group('meta').create_dataset('version', data=np.int32(2))

# Columns of different lengths.
with h5py.File('mismatched.h5', 'w') as f:
    g = f.create_group('data')
    g.create_dataset('a', data=np.arange(6, dtype='<f4'))
    g.create_dataset('b', data=np.arange(5, dtype='<f4'))

# group.h5 with the second compressed chunk of /data/f0 (rows 4 and 5) overwritten by garbage.
with h5py.File('group.h5', 'r') as f:
    chunk = f['data/f0'].id.get_chunk_info(1)
with open('group.h5', 'rb') as f:
    data = bytearray(f.read())
data[chunk.byte_offset:chunk.byte_offset + chunk.size] = b'\xff' * chunk.size
with open('corrupt_chunk.h5', 'wb') as f:
    f.write(data)
