package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The data file is a bbolt database with three buckets: "spaces" (Space id
// → JSON record, without its logs), "logs" (id + "\x00build" or "\x00run" →
// JSON array of lines) and "accounts" ("account/NAME" → account,
// "token/VALUE" → token).
//
// Writes go through a committer (group commit): a handler queues its puts
// while it holds e.mu, so that the queue has the order of the changes in
// memory, releases e.mu, and waits for the batch holding its puts to be
// written to the write-ahead log and synced before it answers (wal.go).
// While one batch syncs, the writes that arrive queue up for the next, so
// one fsync acknowledges many writes and no record write holds e.mu during
// an fsync. (Repository objects are not yet so: create, duplicate, a commit
// and a pull request write their git objects to the objects folder, each
// synced, while holding e.mu — about 6.6 ms for a create on this machine.)
// A log is written only when it changed since it was last written,
// and is encoded by the committer, outside e.mu.
//
// If a commit fails, the writes it held were applied in memory but are not
// on disk: their answers are 500 (the outcome is unknown to the client),
// and every later write is refused with a 500 naming the failure, so that
// nothing is acknowledged that could not be made durable. Reads go on.

var (
	bucketSpaces   = []byte("spaces")
	bucketLogs     = []byte("logs")
	bucketAccounts = []byte("accounts")
)

// put is one change to the data file: value nil deletes the key; encode,
// when set, produces the value in the committer.
type put struct {
	bucket []byte
	key    string
	value  []byte
	encode func() ([]byte, error)
}

// commit is a group of puts that reach the disk in one transaction.
type commit struct {
	puts []put
	done chan struct{}
	err  error
}

// pending is what a writer waits on: nil when there is nothing to wait for
// (no data file, or nothing to write).
type pending struct {
	c   *commit
	err error
}

// wait returns once the puts are durable, or with the reason they are not.
// It must be called without e.mu held.
func (p *pending) wait() error {
	if p == nil {
		return nil
	}
	if p.err != nil {
		return p.err
	}
	<-p.c.done
	return p.c.err
}

// committer writes queued puts to the data file in batches.
type committer struct {
	db   *bolt.DB
	wal  *os.File
	kick chan struct{}

	// Owned by the committer's goroutine: the record buffer, the log's
	// size, and the latest value of every key written to the log since
	// the last checkpoint (nil: deleted).
	buf     []byte
	walSize int    // where the next record goes
	epoch   uint64 // the log's epoch (wal.go)
	dirty   map[dirtyKey][]byte

	stop chan struct{}
	done chan struct{}

	mu     sync.Mutex
	cur    *commit
	failed error // the first commit failure: later writes are refused
	closed bool

	// beforeCommit, set by tests before any write, runs before each batch
	// is written to the log; an error fails the batch.
	beforeCommit func() error
}

type dirtyKey struct{ bucket, key string }

var errClosed = errors.New("emulator: closed")

func newCommitter(db *bolt.DB, wal *os.File, epoch uint64) *committer {
	c := &committer{
		db:    db,
		wal:   wal,
		epoch: epoch,
		dirty: map[dirtyKey][]byte{},
		kick:  make(chan struct{}, 1),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
		cur:   &commit{done: make(chan struct{})},
	}
	go c.run()
	return c
}

// queue adds puts to the next transaction. Callers hold e.mu, which orders
// the queue as the changes in memory.
func (c *committer) queue(puts ...put) *pending {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failed != nil {
		return &pending{err: c.failed}
	}
	if c.closed {
		return &pending{err: errClosed}
	}
	cm := c.cur
	cm.puts = append(cm.puts, puts...)
	select {
	case c.kick <- struct{}{}:
	default:
	}
	return &pending{c: cm}
}

// broken returns the failure that stopped the committer, if any.
func (c *committer) broken() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failed
}

func (c *committer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.kick:
		case <-c.stop:
			// Whatever was queued before Close still reaches the disk.
			c.flush()
			return
		}
		c.flush()
	}
}

// flush commits what is queued, in one transaction.
func (c *committer) flush() {
	c.mu.Lock()
	cm := c.cur
	c.cur = &commit{done: make(chan struct{})}
	failed := c.failed
	c.mu.Unlock()
	if len(cm.puts) == 0 {
		close(cm.done)
		return
	}
	if failed != nil {
		cm.err = failed
		close(cm.done)
		return
	}
	cm.err = c.write(cm.puts)
	if cm.err != nil {
		cm.err = c.fail(cm.err)
	}
	close(cm.done)
	if cm.err == nil && (c.walSize > walCheckpointBytes || len(c.dirty) > 10_000) {
		if err := c.checkpoint(); err != nil {
			c.fail(err)
		}
	}
}

// fail records the first failure of the data file: later writes are
// refused with it.
func (c *committer) fail(err error) error {
	err = &apiError{status: http.StatusInternalServerError, msg: "The emulator's data file could not be written: " + err.Error()}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failed == nil {
		c.failed = err
	}
	return c.failed
}

// write makes a batch of puts durable: one record appended to the log and
// synced.
func (c *committer) write(puts []put) error {
	values := make([][]byte, len(puts))
	for i, p := range puts {
		values[i] = p.value
		if p.encode != nil {
			v, err := p.encode()
			if err != nil {
				return err
			}
			values[i] = v
		}
	}
	if c.beforeCommit != nil {
		if err := c.beforeCommit(); err != nil {
			return err
		}
	}
	c.buf = encodeBatch(c.buf[:0], c.epoch, puts, values)
	// The record, and a zero length after it: the end of the log, should
	// it be where records of an earlier epoch end.
	c.buf = append(c.buf, 0, 0, 0, 0)
	if _, err := c.wal.WriteAt(c.buf, int64(c.walSize)); err != nil {
		return err
	}
	c.buf = c.buf[:len(c.buf)-4]
	if err := datasync(c.wal); err != nil {
		return err
	}
	c.walSize += len(c.buf)
	if cap(c.buf) > 1<<20 {
		c.buf = nil // a large batch's buffer is not kept
	}
	for i, p := range puts {
		c.dirty[dirtyKey{string(p.bucket), p.key}] = values[i]
	}
	return nil
}

// checkpoint moves what the log holds into the bbolt file, in one synced
// transaction, and empties the log.
func (c *committer) checkpoint() error {
	if len(c.dirty) == 0 {
		return nil
	}
	if err := c.db.Update(func(tx *bolt.Tx) error {
		for k, v := range c.dirty {
			p := put{bucket: []byte(k.bucket), key: k.key, value: v}
			if err := applyPuts(tx, []put{p}, nil); err != nil {
				return err
			}
		}
		return putEpoch(tx, c.epoch+1)
	}); err != nil {
		return err
	}
	// The records in the log are of an earlier epoch now: the next goes
	// at its start.
	clear(c.dirty)
	c.epoch++
	c.walSize = 0
	return nil
}

// close commits what is queued and stops the committer.
func (c *committer) close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.mu.Unlock()
	close(c.stop)
	<-c.done
	if c.broken() == nil {
		c.checkpoint()
	}
	c.wal.Close()
}

func (e *Emulator) openStore(path string) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second, NoFreelistSync: true})
	if err != nil {
		return fmt.Errorf("emulator: open data file %s: %w", path, err)
	}
	// What the log holds beyond the bbolt file first (bbolt's lock on the
	// data file is ours, so the log is too).
	wal, epoch, err := replayWAL(db, walPath(path))
	if err != nil {
		db.Close()
		return fmt.Errorf("emulator: open data file %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketSpaces, bucketLogs, bucketAccounts} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		logs := tx.Bucket(bucketLogs)
		if err := tx.Bucket(bucketSpaces).ForEach(func(k, v []byte) error {
			s := &space{changed: make(chan struct{})}
			// Files written before logs had a bucket of their own keep
			// them in the record.
			if err := json.Unmarshal(v, &s.rec); err != nil {
				return fmt.Errorf("space %s: %w", k, err)
			}
			if s.rec.Files == nil {
				s.rec.Files = map[string]string{}
			}
			s.savedBuild, s.savedRun = logVersionOf(&s.rec, true), logVersionOf(&s.rec, false)
			for _, l := range []struct {
				build bool
				dst   *[]LogLine
				saved *logVersion
			}{{true, &s.rec.BuildLog, &s.savedBuild}, {false, &s.rec.RunLog, &s.savedRun}} {
				data := logs.Get([]byte(logKey(s.rec.ID, l.build)))
				if data == nil {
					if len(*l.dst) > 0 {
						// From a record of the earlier format: the next
						// save moves the log to its bucket.
						l.saved.gen = -1
					}
					continue
				}
				var lines []LogLine
				if err := json.Unmarshal(data, &lines); err != nil {
					return fmt.Errorf("space %s logs: %w", k, err)
				}
				*l.dst = lines
				*l.saved = logVersionOf(&s.rec, l.build)
			}
			s.saved = true
			e.spaces[s.rec.ID] = s
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketAccounts).ForEach(func(k, v []byte) error {
			switch key := string(k); {
			case len(key) > 8 && key[:8] == "account/":
				a := &account{}
				if err := json.Unmarshal(v, a); err != nil {
					return err
				}
				e.accounts[a.Name] = a
			case len(key) > 6 && key[:6] == "token/":
				t := &token{}
				if err := json.Unmarshal(v, t); err != nil {
					return err
				}
				e.tokens[key[6:]] = t
			}
			return nil
		})
	})
	if err != nil {
		wal.Close()
		db.Close()
		return fmt.Errorf("emulator: load data file %s: %w", path, err)
	}
	e.db, e.wal, e.walEpoch = db, wal, epoch
	return nil
}

func logKey(id string, build bool) string {
	if build {
		return id + "\x00build"
	}
	return id + "\x00run"
}

// logVersion identifies the state of a log: it changes whenever a line is
// added, lines are dropped or the log is replaced.
type logVersion struct{ gen, dropped, n int }

func logVersionOf(rec *spaceRecord, build bool) logVersion {
	if build {
		return logVersion{rec.BuildGen, rec.BuildLogDropped, len(rec.BuildLog)}
	}
	return logVersion{rec.RunGen, rec.RunLogDropped, len(rec.RunLog)}
}

// recordJSON is the Space's record as stored: without its logs.
func recordJSON(rec *spaceRecord) ([]byte, error) {
	r := *rec
	r.BuildLog, r.RunLog = nil, nil
	return json.Marshal(&r)
}

// queueSave queues the Space's record, and its logs if they changed since
// they were last queued, for the data file. e.mu must be held; wait on the
// result after releasing it.
func (e *Emulator) queueSave(s *space) *pending {
	if e.store == nil {
		return nil
	}
	data, err := recordJSON(&s.rec)
	if err != nil {
		return &pending{err: err}
	}
	puts := []put{{bucket: bucketSpaces, key: s.rec.ID, value: data}}
	for _, build := range []bool{true, false} {
		v := logVersionOf(&s.rec, build)
		saved := &s.savedRun
		lines := s.rec.RunLog
		if build {
			saved, lines = &s.savedBuild, s.rec.BuildLog
		}
		if s.saved && *saved == v {
			continue
		}
		*saved = v
		// Lines are only appended to a log or the log replaced, under
		// e.mu: the part seen now never changes, and the committer can
		// encode it later without the lock.
		lines = lines[:len(lines):len(lines)]
		p := put{bucket: bucketLogs, key: logKey(s.rec.ID, build)}
		if len(lines) > 0 {
			p.encode = func() ([]byte, error) { return json.Marshal(lines) }
		}
		puts = append(puts, p)
	}
	s.saved = true
	return e.store.queue(puts...)
}

// queueRemove queues the deletion of a Space. e.mu must be held.
func (e *Emulator) queueRemove(id string) *pending {
	if e.store == nil {
		return nil
	}
	return e.store.queue(
		put{bucket: bucketSpaces, key: id},
		put{bucket: bucketLogs, key: logKey(id, true)},
		put{bucket: bucketLogs, key: logKey(id, false)},
	)
}

// writable reports why writes are refused: the data file failed. e.mu
// need not be held.
func (e *Emulator) writable() error {
	if e.store == nil {
		return nil
	}
	return e.store.broken()
}

// queueAccount queues an account, and queueToken a token. e.mu must be
// held.
func (e *Emulator) queueAccount(a *account) *pending {
	return e.queueJSON(bucketAccounts, "account/"+a.Name, a)
}

func (e *Emulator) queueToken(value string, t *token) *pending {
	return e.queueJSON(bucketAccounts, "token/"+value, t)
}

func (e *Emulator) queueJSON(bucket []byte, key string, v any) *pending {
	if e.store == nil {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return &pending{err: err}
	}
	return e.store.queue(put{bucket: bucket, key: key, value: data})
}

// saveAll writes every Space, account and token in one transaction, before
// the emulator serves (the seed).
func (e *Emulator) saveAll() error {
	if e.db == nil {
		return nil
	}
	return e.db.Update(func(tx *bolt.Tx) error {
		put := func(bucket []byte, key string, v any) error {
			data, err := json.Marshal(v)
			if err != nil {
				return err
			}
			return tx.Bucket(bucket).Put([]byte(key), data)
		}
		for _, s := range e.spaces {
			data, err := recordJSON(&s.rec)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bucketSpaces).Put([]byte(s.rec.ID), data); err != nil {
				return err
			}
			for _, build := range []bool{true, false} {
				lines := s.rec.RunLog
				if build {
					lines = s.rec.BuildLog
				}
				if len(lines) > 0 {
					if err := put(bucketLogs, logKey(s.rec.ID, build), lines); err != nil {
						return err
					}
				}
			}
			s.savedBuild, s.savedRun = logVersionOf(&s.rec, true), logVersionOf(&s.rec, false)
			s.saved = true
		}
		for _, a := range e.accounts {
			if err := put(bucketAccounts, "account/"+a.Name, a); err != nil {
				return err
			}
		}
		for value, t := range e.tokens {
			if err := put(bucketAccounts, "token/"+value, t); err != nil {
				return err
			}
		}
		return nil
	})
}
