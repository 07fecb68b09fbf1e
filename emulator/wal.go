package emulator

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"
)

// The write-ahead log, DATAFILE.wal, is what makes a write durable: the
// committer appends each batch of puts to it and syncs it once (one fsync
// instead of a bbolt commit's two and its page writes), then acknowledges
// the batch. The puts are applied to the bbolt file at checkpoints — in
// one ordinary, synced bbolt transaction, after which the log is emptied
// — so the bbolt file is always a consistent, complete state, and the log
// holds what came after it. Opening the data file replays the log (see
// replayWAL): every batch whose record is whole is applied; a record cut
// short by a crash was never acknowledged.
//
// The log's space is written with zeros once and then overwritten in place
// (a sync that does not change the file's size is one write to the disk,
// not a journal commit too). A checkpoint starts the log again at its
// beginning with the next epoch, stored in the bbolt file in the same
// transaction: records of an earlier epoch that are still in the file are
// not replayed.
//
// A record is: length of the payload (4 bytes, big endian; 0 ends the
// log), CRC-32 (IEEE) of the payload (4 bytes), payload. The payload is the
// epoch (8 bytes) and the batch's puts, each: bucket name length (1 byte),
// bucket name, key length (uvarint), key, 0 (delete) or 1 + value length
// (uvarint) + value.

// walCheckpointBytes is the size of log after which a checkpoint moves
// its puts into the bbolt file; walFileBytes is the space written with
// zeros for it.
const (
	walCheckpointBytes = 4 << 20
	walFileBytes       = walCheckpointBytes + 1<<20
)

// The bbolt file's "meta" bucket holds the log's epoch.
var (
	bucketMeta = []byte("meta")
	keyEpoch   = []byte("walEpoch")
)

// walPath is the log of a data file.
func walPath(dataFile string) string { return dataFile + ".wal" }

// encodeBatch appends a batch's puts to buf as one log record. values are
// the puts' values, encoded.
func encodeBatch(buf []byte, epoch uint64, puts []put, values [][]byte) []byte {
	start := len(buf)
	buf = append(buf, 0, 0, 0, 0, 0, 0, 0, 0)
	buf = binary.BigEndian.AppendUint64(buf, epoch)
	for i, p := range puts {
		buf = append(buf, byte(len(p.bucket)))
		buf = append(buf, p.bucket...)
		buf = binary.AppendUvarint(buf, uint64(len(p.key)))
		buf = append(buf, p.key...)
		if values[i] == nil {
			buf = append(buf, 0)
			continue
		}
		buf = append(buf, 1)
		buf = binary.AppendUvarint(buf, uint64(len(values[i])))
		buf = append(buf, values[i]...)
	}
	payload := buf[start+8:]
	binary.BigEndian.PutUint32(buf[start:], uint32(len(payload)))
	binary.BigEndian.PutUint32(buf[start+4:], crc32.ChecksumIEEE(payload))
	return buf
}

var errBadRecord = errors.New("bad log record")

// decodeBatch reads the epoch and the puts of one record's payload.
func decodeBatch(payload []byte) (uint64, []put, error) {
	if len(payload) < 8 {
		return 0, nil, errBadRecord
	}
	epoch := binary.BigEndian.Uint64(payload)
	payload = payload[8:]
	var puts []put
	for len(payload) > 0 {
		n := int(payload[0])
		if len(payload) < 1+n {
			return 0, nil, errBadRecord
		}
		p := put{bucket: payload[1 : 1+n]}
		payload = payload[1+n:]
		kl, w := binary.Uvarint(payload)
		if w <= 0 || uint64(len(payload)-w) < kl+1 {
			return 0, nil, errBadRecord
		}
		p.key = string(payload[w : w+int(kl)])
		payload = payload[w+int(kl):]
		has := payload[0]
		payload = payload[1:]
		if has == 1 {
			vl, w := binary.Uvarint(payload)
			if w <= 0 || uint64(len(payload)-w) < vl {
				return 0, nil, errBadRecord
			}
			p.value = payload[w : w+int(vl)]
			payload = payload[w+int(vl):]
		} else if has != 0 {
			return 0, nil, errBadRecord
		}
		puts = append(puts, p)
	}
	return epoch, puts, nil
}

// replayWAL applies the whole records of the current epoch in a data
// file's log to its bbolt file, in one synced transaction that also moves
// to the next epoch. It returns the log, ready to be written from its
// start, and its epoch.
func replayWAL(db *bolt.DB, path string) (*os.File, uint64, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, 0, err
	}
	fail := func(err error) (*os.File, uint64, error) {
		f.Close()
		return nil, 0, err
	}
	var epoch uint64
	db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			if v := b.Get(keyEpoch); len(v) == 8 {
				epoch = binary.BigEndian.Uint64(v)
			}
		}
		return nil
	})
	data, err := io.ReadAll(f)
	if err != nil {
		return fail(err)
	}
	size := len(data)
	var batches [][]put
	for len(data) >= 8 {
		n := binary.BigEndian.Uint32(data)
		if n == 0 || uint64(len(data)-8) < uint64(n) {
			break // the end, or cut short: never acknowledged
		}
		payload := data[8 : 8+n]
		if crc32.ChecksumIEEE(payload) != binary.BigEndian.Uint32(data[4:]) {
			break
		}
		e, puts, err := decodeBatch(payload)
		if err != nil || e != epoch {
			break // of an earlier epoch: already in the bbolt file
		}
		batches = append(batches, puts)
		data = data[8+n:]
	}
	if len(batches) > 0 {
		epoch++
		if err := db.Update(func(tx *bolt.Tx) error {
			for _, b := range [][]byte{bucketSpaces, bucketLogs, bucketAccounts} {
				if _, err := tx.CreateBucketIfNotExists(b); err != nil {
					return err
				}
			}
			for _, puts := range batches {
				if err := applyPuts(tx, puts, nil); err != nil {
					return err
				}
			}
			return putEpoch(tx, epoch)
		}); err != nil {
			return fail(fmt.Errorf("replaying %s: %w", path, err))
		}
	}
	if size < walFileBytes {
		// The log's space, written once.
		if _, err := f.WriteAt(make([]byte, walFileBytes-size), int64(size)); err != nil {
			return fail(err)
		}
		if err := f.Sync(); err != nil {
			return fail(err)
		}
	}
	return f, epoch, nil
}

// putEpoch records the log's epoch in the bbolt file.
func putEpoch(tx *bolt.Tx, epoch uint64) error {
	b, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	return b.Put(keyEpoch, binary.BigEndian.AppendUint64(nil, epoch))
}

// applyPuts writes puts in a bbolt transaction; values, when not nil, are
// their encoded values.
func applyPuts(tx *bolt.Tx, puts []put, values [][]byte) error {
	for i, p := range puts {
		b := tx.Bucket(p.bucket)
		if b == nil {
			return fmt.Errorf("no bucket %q", p.bucket)
		}
		v := p.value
		if values != nil {
			v = values[i]
		}
		var err error
		if v == nil {
			err = b.Delete([]byte(p.key))
		} else {
			err = b.Put([]byte(p.key), v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
