package emulator

import (
	"testing"
)

// TestControlRefusesBadInput: the controls return errors for what they
// cannot do; they never panic.
func TestControlRefusesBadInput(t *testing.T) {
	t.Parallel()
	e, err := New(Config{Seed: DemoSeed, Clock: NewFakeClock(t0)})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for name, call := range map[string]func() error{
		"AddUser empty":            func() error { return e.AddUser("") },
		"AddUser bad name":         func() error { return e.AddUser("a/b") },
		"AddUser existing":         func() error { return e.AddUser("demo") },
		"AddOrg empty":             func() error { return e.AddOrg("") },
		"AddToken empty":           func() error { return e.AddToken("", "demo", "write") },
		"AddToken role":            func() error { return e.AddToken("hf_x", "demo", "admin") },
		"AddToken for an org":      func() error { return e.AddToken("hf_x", "demo-org", "write") },
		"AddToken unknown user":    func() error { return e.AddToken("hf_x", "nobody", "read") },
		"AddSpace bad id":          func() error { return e.AddSpace(SpaceSpec{ID: "nope"}) },
		"AddSpace unknown account": func() error { return e.AddSpace(SpaceSpec{ID: "nobody/x"}) },
		"AddSpace existing":        func() error { return e.AddSpace(SpaceSpec{ID: "demo/gradio-app"}) },
		"AddSpace SDK":             func() error { return e.AddSpace(SpaceSpec{ID: "demo/x", SDK: "flask"}) },
		"AddSpace flavor":          func() error { return e.AddSpace(SpaceSpec{ID: "demo/x", Hardware: "tpu"}) },
		"AddSpace stage":           func() error { return e.AddSpace(SpaceSpec{ID: "demo/x", Stage: StageDeleting}) },
		"SetBuildFailure unknown":  func() error { return e.SetBuildFailure("demo/nope", "x") },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if v := recover(); v != nil {
					t.Fatalf("panic: %v", v)
				}
			}()
			if err := call(); err == nil {
				t.Error("no error")
			}
		})
	}
}
