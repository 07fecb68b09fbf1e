package emulator

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The data file is a bbolt database with two buckets: "spaces" (Space id →
// JSON record) and "accounts" ("account/NAME" → account, "token/VALUE" →
// token). Every write is one transaction, committed (and synced to disk by
// bbolt) before the answer that acknowledges it is sent.

var (
	bucketSpaces   = []byte("spaces")
	bucketAccounts = []byte("accounts")
)

func (e *Emulator) openStore(path string) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return fmt.Errorf("emulator: open data file %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketSpaces, bucketAccounts} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketSpaces).ForEach(func(k, v []byte) error {
			s := &space{changed: make(chan struct{})}
			if err := json.Unmarshal(v, &s.rec); err != nil {
				return fmt.Errorf("space %s: %w", k, err)
			}
			if s.rec.Files == nil {
				s.rec.Files = map[string]string{}
			}
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
		db.Close()
		return fmt.Errorf("emulator: load data file %s: %w", path, err)
	}
	e.db = db
	return nil
}

// save writes a Space to the data file. e.mu must be held.
func (e *Emulator) save(s *space) error {
	if e.db == nil {
		return nil
	}
	data, err := json.Marshal(&s.rec)
	if err != nil {
		return err
	}
	return e.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSpaces).Put([]byte(s.rec.ID), data)
	})
}

// remove deletes a Space from the data file. e.mu must be held.
func (e *Emulator) remove(id string) error {
	if e.db == nil {
		return nil
	}
	return e.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSpaces).Delete([]byte(id))
	})
}

// snapshot and restore undo a change whose save failed. e.mu must be held.
func (e *Emulator) snapshot(s *space) []byte {
	data, _ := json.Marshal(&s.rec)
	return data
}

func (e *Emulator) restore(s *space, snap []byte) {
	if snap == nil {
		return
	}
	var rec spaceRecord
	if json.Unmarshal(snap, &rec) == nil {
		s.rec = rec
	}
}

// saveAccount writes an account, and saveToken a token. e.mu must be held.
func (e *Emulator) saveAccount(a *account) error {
	return e.putAccounts("account/"+a.Name, a)
}

func (e *Emulator) saveToken(value string, t *token) error {
	return e.putAccounts("token/"+value, t)
}

func (e *Emulator) putAccounts(key string, v any) error {
	if e.db == nil {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return e.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAccounts).Put([]byte(key), data)
	})
}

// saveAll writes every Space, account and token in one transaction.
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
			if err := put(bucketSpaces, s.rec.ID, &s.rec); err != nil {
				return err
			}
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
