package emulatorcmd

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hfhub-go/hfhub/emulator"
)

func TestFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		want    emulator.Config
		wantErr string
	}{
		{args: nil, want: emulator.Config{Seed: "demo", BuildDuration: 3 * time.Second, StartDuration: 2 * time.Second}},
		{
			args: []string{"--seed", "none", "--data", "x.db", "--build-seconds", "0.5", "--start-seconds", "0", "--rate-limit", "100/60", "--faults", "runtime:status=503,fraction=0.25"},
			want: emulator.Config{
				DataFile: "x.db", BuildDuration: 500 * time.Millisecond,
				RateLimit: emulator.RateLimit{Requests: 100, Window: time.Minute},
				Faults:    []emulator.Fault{{Route: "runtime", Status: 503, Fraction: 0.25}},
			},
		},
		{args: []string{"--build-seconds", "-1"}, wantErr: "--build-seconds"},
		{args: []string{"--rate-limit", "lots"}, wantErr: "rate limit"},
		{args: []string{"--faults", "runtime"}, wantErr: "fault"},
		{args: []string{"extra"}, wantErr: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			var got emulator.Config
			cmd := newCmdEmulator(func(ctx context.Context, o *Options) error {
				var err error
				got, err = o.Config()
				return err
			})
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one about %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

// lockedBuffer is a bytes.Buffer safe to write from the server's goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRunServesAndStops runs the command for real on a loopback port: the
// first line is HF_ENDPOINT, the demo tokens follow, the endpoint answers,
// and cancelling the context stops it cleanly, even with a log stream open.
func TestRunServesAndStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	outR, outW := io.Pipe()
	errBuf := &lockedBuffer{}
	cmd := NewCmdEmulator()
	cmd.SetArgs([]string{"--addr", "127.0.0.1:0", "--build-seconds", "0"})
	cmd.SetContext(ctx)
	cmd.SetOut(outW)
	cmd.SetErr(errBuf)
	done := make(chan error, 1)
	go func() {
		done <- cmd.Execute()
		outW.Close()
	}()
	rd := bufio.NewReader(outR)
	first, err := rd.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	endpoint, ok := strings.CutPrefix(strings.TrimSpace(first), "export HF_ENDPOINT=http://127.0.0.1:")
	if !ok || endpoint == "" {
		t.Fatalf("first line %q", first)
	}
	url := strings.TrimPrefix(strings.TrimSpace(first), "export HF_ENDPOINT=")
	var rest []string
	for range 3 {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		rest = append(rest, strings.TrimSpace(line))
	}
	want := []string{
		"export HF_TOKEN=hf_demo_write\t# user demo, write",
		"# export HF_TOKEN=hf_demo_read\t# user demo, read",
		"# export HF_TOKEN=hf_other_write\t# user other, write",
	}
	if diff := cmp.Diff(want, rest); diff != "" {
		t.Errorf("token lines (-want +got):\n%s", diff)
	}
	go io.Copy(io.Discard, rd)

	req, _ := http.NewRequestWithContext(t.Context(), "GET", url+"/api/spaces/demo/gradio-app/runtime", nil)
	req.Header.Set("Authorization", "Bearer "+emulator.DemoReadToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("runtime: %d", resp.StatusCode)
	}
	// An open log stream must not hold the shutdown up.
	stream, err := http.Get(url + "/api/spaces/demo/gradio-app/logs/run")
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Execute: %v", err)
	}
	if !strings.Contains(errBuf.String(), "emulator stopped") {
		t.Errorf("stderr: %q", errBuf.String())
	}
	if strings.Contains(errBuf.String(), "hf_") {
		t.Errorf("stderr shows a token: %q", errBuf.String())
	}
}

func TestRunRefusesBadSeed(t *testing.T) {
	t.Parallel()
	cmd := NewCmdEmulator()
	cmd.SetArgs([]string{"--seed", "bogus"})
	cmd.SetContext(t.Context())
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "seed") {
		t.Fatalf("error %v, want one about the seed", err)
	}
}

// TestHelperEmulatorProcess is not a test: TestSignalStops runs the test
// binary again with it to serve `hfspaces emulator` in a process of its own.
func TestHelperEmulatorProcess(t *testing.T) {
	args := os.Getenv("EMULATORCMD_HELPER_ARGS")
	if args == "" {
		t.Skip("helper process only")
	}
	cmd := NewCmdEmulator()
	cmd.SetArgs(strings.Fields(args))
	cmd.SetContext(context.Background())
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "ERROR", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// TestSignalStops runs the command in a process of its own and stops it
// with SIGINT and with SIGTERM: it exits 0, even with a log stream open,
// and releases its data file, where an acknowledged write is found.
func TestSignalStops(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a process")
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			data := filepath.Join(t.TempDir(), "hub.db")
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestHelperEmulatorProcess$")
			cmd.Env = append(os.Environ(), "EMULATORCMD_HELPER_ARGS=--addr 127.0.0.1:0 --build-seconds 0 --data "+data)
			stderr := &lockedBuffer{}
			cmd.Stderr = stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			first, err := bufio.NewReader(out).ReadString('\n')
			url, ok := strings.CutPrefix(strings.TrimSpace(first), "export HF_ENDPOINT=")
			if err != nil || !ok {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("first line %q, %v; stderr %s", first, err, stderr)
			}
			go io.Copy(io.Discard, out)

			req, _ := http.NewRequestWithContext(t.Context(), "POST", url+"/api/spaces/demo/gradio-app/variables", strings.NewReader(`{"key":"KEPT","value":"1"}`))
			req.Header.Set("Authorization", "Bearer "+emulator.DemoWriteToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("variable write: %d", resp.StatusCode)
			}
			stream, err := http.Get(url + "/api/spaces/demo/gradio-app/logs/run")
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Body.Close()

			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("after %v: %v; stderr %s", sig, err, stderr)
			}
			if !strings.Contains(stderr.String(), "emulator stopped") {
				t.Errorf("stderr: %q", stderr)
			}
			e, err := emulator.New(emulator.Config{DataFile: data})
			if err != nil {
				t.Fatalf("reopening the data file: %v", err)
			}
			defer e.Close()
			srv := emulator.NewMemoryTransport(e)
			req, _ = http.NewRequestWithContext(t.Context(), "GET", "http://hub.test/api/spaces/demo/gradio-app/variables", nil)
			resp, err = srv.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(body), `"KEPT"`) {
				t.Errorf("variables after the restart: %s", body)
			}
		})
	}
}

// TestStartLinesPasteIntoAShell runs the lines the command prints at start
// through sh: HF_ENDPOINT and HF_TOKEN are exported, the other tokens are
// comments.
func TestStartLinesPasteIntoAShell(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	outR, outW := io.Pipe()
	cmd := NewCmdEmulator()
	cmd.SetArgs([]string{"--addr", "127.0.0.1:0"})
	cmd.SetContext(ctx)
	cmd.SetOut(outW)
	errBuf := &lockedBuffer{}
	cmd.SetErr(errBuf)
	done := make(chan error, 1)
	go func() {
		done <- cmd.Execute()
		outW.Close()
	}()
	rd := bufio.NewReader(outR)
	var lines string
	for range 4 {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		lines += line
	}
	go io.Copy(io.Discard, rd)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(t.Context(), sh, "-c", lines+`echo "$HF_ENDPOINT $HF_TOKEN"`).CombinedOutput()
	if err != nil {
		t.Fatalf("sh: %v\n%s\nlines:\n%s", err, out, lines)
	}
	got := strings.Fields(string(out))
	if len(got) != 2 || !strings.HasPrefix(got[0], "http://127.0.0.1:") || got[1] != emulator.DemoWriteToken {
		t.Errorf("after pasting:\n%s\nsh says %q", lines, out)
	}
	if strings.Contains(errBuf.String(), "WARNING") {
		t.Errorf("a warning on loopback: %s", errBuf)
	}
}

func TestWarnIfPublic(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr net.Addr
		warn bool
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, false},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, false},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, true},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, true},
		{&net.TCPAddr{IP: net.IPv4(192, 168, 1, 2), Port: 8080}, true},
	} {
		var buf strings.Builder
		warnIfPublic(&buf, tc.addr)
		if got := strings.Contains(buf.String(), "demo tokens") && strings.Contains(buf.String(), "public"); got != tc.warn {
			t.Errorf("%v: warning %q, want one: %v", tc.addr, buf.String(), tc.warn)
		}
	}
}

// TestServerTimeouts: the server closes idle connections and bounds the
// time a request's headers may take.
func TestServerTimeouts(t *testing.T) {
	t.Parallel()
	srv := newServer(http.NotFoundHandler())
	if srv.ReadHeaderTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Errorf("server without a timeout or header limit: %+v", srv)
	}
	if srv.WriteTimeout != 0 || srv.ReadTimeout != 0 {
		t.Errorf("a whole-request timeout would cut log streams: %+v", srv)
	}
}
