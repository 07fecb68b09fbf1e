package emulator

import "encoding/json"

// snapshot and restore undo a change that failed half-way (a commit whose
// objects could not all be stored, a move whose rename was refused). A
// failed write to the data file is not undone here: the committer then
// refuses every later write (see store.go). e.mu must be held.
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
