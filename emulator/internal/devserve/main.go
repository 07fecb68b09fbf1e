// Command devserve is a throwaway main for trying the emulator command.
package main

import (
	"os"

	"github.com/hfhub-go/hfhub/internal/cli/emulatorcmd"
)

func main() {
	if err := emulatorcmd.NewCmdEmulator().Execute(); err != nil {
		os.Exit(1)
	}
}
