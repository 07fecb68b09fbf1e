// Command hfspaces manages Hugging Face Spaces from the command line.
// Try `hfspaces demo`.
package main

import (
	"os"

	"github.com/hfhub-go/hfhub/internal/cli/root"
)

func main() { os.Exit(root.Main()) }
