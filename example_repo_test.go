package hfhub_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/emulator"
)

// emulatorHub serves the Hub emulator with its demo seed, so that the
// examples run without a network or an account. Real code leaves out
// WithEndpoint.
func emulatorHub() (stop func(), client *hfhub.Client) {
	e, err := emulator.New(emulator.Config{Seed: emulator.DemoSeed})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(e)
	client, err = hfhub.NewClient(hfhub.WithEndpoint(srv.URL), hfhub.WithToken(emulator.DemoWriteToken))
	if err != nil {
		log.Fatal(err)
	}
	return func() { srv.Close(); e.Close() }, client
}

func ExampleSpacesService_Upload() {
	stop, client := emulatorHub()
	defer stop()
	ctx := context.Background()

	dir, _ := os.MkdirTemp("", "site")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>Hello</h1>\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "style.css"), []byte("h1 { color: teal; }\n"), 0o644)

	if _, err := client.Spaces.Create(ctx, "demo/site", &hfhub.CreateOptions{SDK: hfhub.SDKStatic, ExistOK: true}); err != nil {
		log.Fatal(err)
	}
	for range 2 {
		info, err := client.Spaces.Upload(ctx, "demo/site", dir, &hfhub.UploadOptions{Message: "deploy"})
		switch {
		case errors.Is(err, hfhub.ErrOutcomeUnknown):
			log.Fatal("the commit may have been applied; look before trying again: ", err)
		case err != nil:
			log.Fatal(err)
		case info.Committed:
			fmt.Println("committed:", info.Uploaded)
		default:
			fmt.Println("nothing changed, skipped:", info.Skipped)
		}
	}
	// Output:
	// committed: [index.html style.css]
	// nothing changed, skipped: [index.html style.css]
}

func ExampleSpacesService_Commit() {
	stop, client := emulatorHub()
	defer stop()
	ctx := context.Background()

	info, err := client.Spaces.Commit(ctx, "demo/static-site", []hfhub.CommitOperation{
		hfhub.AddFileBytes("about.html", []byte("<p>About</p>\n")),
	}, &hfhub.CommitOptions{Message: "about page"})
	if err != nil {
		log.Fatal(err)
	}
	// A second commit that expects the head to be the first one.
	_, err = client.Spaces.Commit(ctx, "demo/static-site", []hfhub.CommitOperation{
		hfhub.DeleteFile("about.html"),
	}, &hfhub.CommitOptions{ParentCommit: info.OID})
	fmt.Println("committed:", info.Committed, "then:", err)

	// The first commit's parent is no longer the head.
	_, err = client.Spaces.Commit(ctx, "demo/static-site", []hfhub.CommitOperation{
		hfhub.AddFileBytes("x.txt", []byte("x")),
	}, &hfhub.CommitOptions{ParentCommit: info.OID})
	fmt.Println("stale parent:", errors.Is(err, hfhub.ErrStaleParent), errors.Is(err, hfhub.ErrConflict))
	// Output:
	// committed: true then: <nil>
	// stale parent: true true
}

func ExampleSpacesService_Download() {
	stop, client := emulatorHub()
	defer stop()
	rc, file, err := client.Spaces.Download(context.Background(), "demo/static-site", "index.html", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer rc.Close()
	n, _ := io.Copy(io.Discard, rc)
	fmt.Println(file.Path, n == file.Size)
	// Output: index.html true
}

func ExampleClient_Do() {
	stop, client := emulatorHub()
	defer stop()
	req, err := client.NewRequest(context.Background(), "GET", "api/spaces/demo/static-site/refs", nil)
	if err != nil {
		log.Fatal(err)
	}
	var refs struct {
		Branches []struct{ Name string } `json:"branches"`
	}
	if _, err := client.Do(req, &refs); err != nil {
		log.Fatal(err)
	}
	fmt.Println(refs.Branches[0].Name)
	// Output: main
}
