package emulator

import (
	"fmt"
	"slices"
)

// Files returns the paths of a Space's files at a revision ("" is main),
// sorted: for tests that check what a client committed.
func (e *Emulator) Files(repoID, revision string) ([]string, error) {
	t, err := e.lockedTree(repoID, revision)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(t.Entries))
	for i, f := range t.Entries {
		out[i] = f.Path
	}
	return out, nil
}

// ReadFile returns the content of a Space's file at a revision ("" is
// main); an LFS file's real content.
func (e *Emulator) ReadFile(repoID, revision, path string) ([]byte, error) {
	t, err := e.lockedTree(repoID, revision)
	if err != nil {
		return nil, err
	}
	f := t.file(path)
	if f == nil {
		return nil, fmt.Errorf("emulator: %s has no file %s at %s", repoID, path, revision)
	}
	return e.readEntry(f)
}

// Commits returns the ids of the commits of a Space's revision ("" is
// main), newest first, following first parents.
func (e *Emulator) Commits(repoID, revision string) ([]string, error) {
	head, err := e.lockedRev(repoID, revision)
	if err != nil {
		return nil, err
	}
	var ids []string
	e.history(head, func(c *commitObject) bool {
		ids = append(ids, c.ID)
		return true
	})
	return ids, nil
}

func (e *Emulator) lockedRev(repoID, revision string) (string, error) {
	if revision == "" {
		revision = "main"
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.spaces[repoID]
	if s == nil {
		return "", fmt.Errorf("emulator: no Space %s", repoID)
	}
	id, err := e.resolveRev(&s.rec, revision)
	if err != nil {
		return "", fmt.Errorf("emulator: %s: no revision %s", repoID, revision)
	}
	return id, nil
}

func (e *Emulator) lockedTree(repoID, revision string) (*treeState, error) {
	id, err := e.lockedRev(repoID, revision)
	if err != nil {
		return nil, err
	}
	t, err := e.treeOf(id)
	if err != nil {
		return nil, err
	}
	return &treeState{ID: t.ID, Entries: slices.Clone(t.Entries), byPath: t.byPath, dirs: t.dirs}, nil
}
