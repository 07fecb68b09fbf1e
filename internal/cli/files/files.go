// Package files implements `hfspaces files ls|get`.
package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/hfhub-go/hfhub/internal/cli/tableprinter"
	"github.com/spf13/cobra"
)

// NewCmdFiles builds `hfspaces files`.
func NewCmdFiles(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "files <command>",
		Short: "List and read the files of a Space",
		Long: "List the files of a Space's repository and read one, without cloning it.\n" +
			"Ship files with `hfspaces deploy`.",
		RunE: cmdutil.GroupRunE,
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdGet(f, nil))
	return cmd
}

// ListOptions holds what `files ls` needs.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	JSON   bool

	Space     string
	Path      string
	Recursive bool
	Revision  string
}

// NewCmdList builds `hfspaces files ls`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:     "ls SPACE [PATH] [-r]",
		Aliases: []string{"list"},
		Short:   "List a Space's files",
		Long: "List the files and folders of a Space at PATH (the root by default); -r lists\n" +
			"every file below it. Piped, each line is PATH, TYPE (file or directory), SIZE in\n" +
			"bytes and the SHA-256 of a file stored with Git LFS, separated by tabs.",
		Example: "  $ hfspaces files ls demo/gradio-app\n" +
			"  $ hfspaces files ls demo/gradio-app assets -r\n" +
			"  $ hfspaces files ls demo/gradio-app -r --json",
		Args: cmdutil.RangeArgs(1, 2, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			if len(args) > 1 {
				opts.Path = args[1]
			}
			opts.JSON = f.Globals.JSON
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Recursive, "recursive", "r", false, "list the files in every folder below PATH")
	cmd.Flags().StringVar(&opts.Revision, "revision", "", "branch, tag, commit or refs/pr/N (default main)")
	return cmd
}

type fileJSON struct {
	Path string   `json:"path"`
	Type string   `json:"type"`
	Size int64    `json:"size"`
	OID  string   `json:"oid"`
	LFS  *lfsJSON `json:"lfs"`
}

type lfsJSON struct {
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	PointerSize int64  `json:"pointer_size"`
}

func listRun(ctx context.Context, opts *ListOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	opts.IO.StartProgressIndicator("Listing the files of " + opts.Space)
	var files []*hfhub.RepoFile
	for file, err := range client.Spaces.ListFiles(ctx, opts.Space, &hfhub.ListFilesOptions{Revision: opts.Revision, Path: opts.Path, Recursive: opts.Recursive}) {
		if err != nil {
			opts.IO.StopProgressIndicator()
			return err
		}
		files = append(files, file)
	}
	opts.IO.StopProgressIndicator()
	if opts.JSON {
		out := make([]fileJSON, 0, len(files))
		for _, file := range files {
			j := fileJSON{Path: file.Path, Type: file.Type, Size: file.Size, OID: file.OID}
			if file.LFS != nil {
				j.LFS = &lfsJSON{SHA256: file.LFS.SHA256, Size: file.LFS.Size, PointerSize: file.LFS.PointerSize}
			}
			out = append(out, j)
		}
		return cmdutil.WriteJSON(opts.IO, out)
	}
	if len(files) == 0 {
		if opts.IO.IsStdoutTTY() {
			where := opts.Space
			if opts.Path != "" {
				where += " under " + opts.Path
			}
			cmdutil.Warn(opts.IO, "No files in %s.", where)
		}
		return nil
	}
	cs := opts.IO.ColorScheme()
	tp := tableprinter.New(opts.IO, "PATH", "SIZE", "")
	for _, file := range files {
		dir := file.Type == "directory"
		if !tp.IsTTY() {
			tp.AddField(file.Path)
			tp.AddField(file.Type)
			tp.AddField(strconv.FormatInt(file.Size, 10))
			sha := ""
			if file.LFS != nil {
				sha = file.LFS.SHA256
			}
			tp.AddField(sha)
			tp.EndRow()
			continue
		}
		if dir {
			tp.AddField(file.Path+"/", cs.Bold)
			tp.AddField("-", cs.Gray)
			tp.AddField("")
		} else {
			tp.AddField(file.Path)
			tp.AddField(cmdutil.SizeText(file.Size))
			if file.LFS != nil {
				tp.AddField("LFS", cs.Gray)
			} else {
				tp.AddField("")
			}
		}
		tp.EndRow()
	}
	return tp.Render()
}

// GetOptions holds what `files get` needs.
type GetOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)

	Space    string
	Path     string
	Output   string // "" or "-": standard output
	Revision string
}

// NewCmdGet builds `hfspaces files get`.
func NewCmdGet(f *cmdutil.Factory, runF func(*GetOptions) error) *cobra.Command {
	opts := &GetOptions{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "get SPACE PATH [-o FILE]",
		Short: "Print a file of a Space, or save it",
		Long: "Write a file of a Space to standard output, or to FILE with -o (a folder keeps\n" +
			"the file's name). It is streamed: large files need no memory. A file saved with\n" +
			"-o appears whole or not at all.",
		Example: "  $ hfspaces files get demo/gradio-app app.py\n" +
			"  $ hfspaces files get demo/gradio-app model.bin -o .\n" +
			"  $ hfspaces files get demo/gradio-app README.md --revision refs/pr/1",
		Args: cmdutil.ExactArgs(2, "missing the Space id and the file's path, e.g. demo/gradio-app app.py"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space, opts.Path = args[0], args[1]
			if opts.Path == "" {
				return cmdutil.FlagErrorf("empty file path")
			}
			if runF != nil {
				return runF(opts)
			}
			return getRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to FILE (or into a folder) instead of standard output")
	cmd.Flags().StringVar(&opts.Revision, "revision", "", "branch, tag, commit or refs/pr/N (default main)")
	return cmd
}

func getRun(ctx context.Context, opts *GetOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	body, _, err := client.Spaces.Download(ctx, opts.Space, opts.Path, &hfhub.DownloadOptions{Revision: opts.Revision})
	if err != nil {
		return err
	}
	defer body.Close()
	if opts.Output == "" || opts.Output == "-" {
		if _, err := io.Copy(opts.IO.Out, body); err != nil {
			return fmt.Errorf("reading %s: %w", opts.Path, err)
		}
		return nil
	}
	dest := opts.Output
	if st, err := os.Stat(dest); err == nil && st.IsDir() {
		dest = filepath.Join(dest, path.Base(opts.Path))
	}
	src := &readTracker{r: body}
	n, err := writeFileAtomic(dest, src)
	if src.err != nil {
		return fmt.Errorf("reading %s: %w", opts.Path, src.err)
	}
	if err != nil {
		return err
	}
	cmdutil.Success(opts.IO, "Saved %s (%s) to %s", opts.Path, cmdutil.SizeText(n), dest)
	return nil
}

// writeFileAtomic streams r to a temporary file beside dest, then renames
// it: dest is never left half written.
func writeFileAtomic(dest string, r io.Reader) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".part-*")
	if err != nil {
		return 0, fmt.Errorf("could not write %s: %w", dest, unwrapPath(err))
	}
	n, err := io.Copy(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dest)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("could not write %s: %w", dest, unwrapPath(err))
	}
	return n, nil
}

// readTracker remembers a read error, to tell it from a write error.
type readTracker struct {
	r   io.Reader
	err error
}

func (t *readTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF {
		t.err = err
	}
	return n, err
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
