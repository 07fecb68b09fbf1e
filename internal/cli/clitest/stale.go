package clitest

import (
	"time"

	"github.com/hfhub-go/hfhub/emulator"
)

// Slow is an emulator whose builds and starts take a minute each on a fake
// clock that moves only when a test says so (StaleRuntime, AdvanceOnRuntime).
func Slow() *emulator.Config {
	return &emulator.Config{Seed: emulator.DemoSeed, Clock: emulator.NewFakeClock(Epoch), BuildDuration: time.Minute, StartDuration: time.Minute}
}
