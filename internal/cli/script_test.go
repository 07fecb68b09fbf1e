package cli_test

import (
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/internal/cli/root"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary be hfspaces itself when a script runs it.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"hfspaces": func() { os.Exit(root.Main()) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/*.txtar: the built CLI
// against a live emulator on a loopback address, one emulator per script.
//
// Each script sees HF_ENDPOINT and HF_TOKEN (the demo user's write token),
// and a command `exits N hfspaces …` that checks an exit code.
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		RequireExplicitExec: false,
		Setup: func(env *testscript.Env) error {
			emu, err := emulator.New(emulator.Config{Seed: emulator.DemoSeed, BuildDuration: 300 * time.Millisecond, StartDuration: 200 * time.Millisecond})
			if err != nil {
				return err
			}
			srv := httptest.NewServer(emu)
			env.Defer(func() {
				emu.Close()
				srv.Close()
			})
			env.Setenv("HF_ENDPOINT", srv.URL)
			env.Setenv("HF_TOKEN", emulator.DemoWriteToken)
			// No token file or settings of the person running the tests.
			env.Setenv("HF_HOME", filepath.Join(env.WorkDir, ".hf"))
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits": exits,
		},
	})
}

// exits N cmd args… runs a command and checks its exit code; its output
// can be checked by stdout and stderr afterwards.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}
