package emulator

import (
	"net/http"
	"strings"
)

// Flavor is one entry of the hardware catalog served at
// GET /api/spaces/hardware. Prices are per unit of UnitLabel: the Hub
// bills, and prices its catalog, per "minute" (the official CLI multiplies
// by 60 for its hourly column).
type Flavor struct {
	Name             string       `json:"name"`
	PrettyName       string       `json:"prettyName"`
	CPU              string       `json:"cpu"`
	RAM              string       `json:"ram"`
	EphemeralStorage string       `json:"ephemeralStorage,omitempty"`
	Accelerator      *Accelerator `json:"accelerator"`
	UnitCostMicroUSD int64        `json:"unitCostMicroUSD"`
	UnitCostUSD      float64      `json:"unitCostUSD"`
	UnitLabel        string       `json:"unitLabel"`
}

// Accelerator describes a flavor's GPU or other accelerator.
type Accelerator struct {
	Type         string `json:"type"`
	Model        string `json:"model"`
	Quantity     string `json:"quantity"`
	VRAM         string `json:"vram"`
	Manufacturer string `json:"manufacturer"`
}

func gpu(model, manufacturer, quantity, vram string) *Accelerator {
	return &Accelerator{Type: "gpu", Model: model, Quantity: quantity, VRAM: vram, Manufacturer: manufacturer}
}

// flavor makes a catalog entry from the public hourly list price: the
// per-minute price is a sixtieth of it, rounded to the micro-dollar
// (t4-small: $0.40/h is 6,667 µ$/min).
func flavor(name, pretty, cpu, ram, disk string, acc *Accelerator, microUSDPerHour int64) Flavor {
	perMinute := (microUSDPerHour + 30) / 60
	return Flavor{
		Name: name, PrettyName: pretty, CPU: cpu, RAM: ram, EphemeralStorage: disk,
		Accelerator: acc, UnitCostMicroUSD: perMinute,
		UnitCostUSD: float64(perMinute) / 1e6, UnitLabel: "minute",
	}
}

// Catalog is the hardware the emulator offers: every flavor named in the
// wire notes, with the Hub's public hourly list prices divided by 60 and
// its pretty names ("CPU Basic", "Nvidia T4 - small").
var Catalog = []Flavor{
	flavor("cpu-basic", "CPU Basic", "2 vCPU", "16 GB", "50 GB", nil, 0),
	flavor("cpu-upgrade", "CPU Upgrade", "8 vCPU", "32 GB", "50 GB", nil, 30_000),
	flavor("cpu-performance", "CPU Performance", "32 vCPU", "64 GB", "50 GB", nil, 500_000),
	flavor("cpu-xl", "CPU XL", "16 vCPU", "124 GB", "50 GB", nil, 1_000_000),
	flavor("sprx8", "Sapphire Rapids x8", "64 vCPU", "256 GB", "500 GB", nil, 8_000_000),
	flavor("zero-a10g", "ZeroGPU", "dynamic", "dynamic", "50 GB", gpu("H200", "Nvidia", "dynamic", "70 GB"), 0),
	flavor("inf2x6", "AWS Inferentia2 x6", "96 vCPU", "384 GB", "500 GB", &Accelerator{Type: "neuron", Model: "Inferentia2", Quantity: "6", VRAM: "192 GB", Manufacturer: "AWS"}, 6_000_000),
	flavor("t4-small", "Nvidia T4 - small", "4 vCPU", "15 GB", "50 GB", gpu("T4", "Nvidia", "1", "16 GB"), 400_000),
	flavor("t4-medium", "Nvidia T4 - medium", "8 vCPU", "30 GB", "100 GB", gpu("T4", "Nvidia", "1", "16 GB"), 600_000),
	flavor("l4x1", "1x Nvidia L4", "8 vCPU", "30 GB", "400 GB", gpu("L4", "Nvidia", "1", "24 GB"), 800_000),
	flavor("l4x4", "4x Nvidia L4", "48 vCPU", "186 GB", "3200 GB", gpu("L4", "Nvidia", "4", "96 GB"), 3_800_000),
	flavor("l40sx1", "1x Nvidia L40S", "8 vCPU", "62 GB", "380 GB", gpu("L40S", "Nvidia", "1", "48 GB"), 1_800_000),
	flavor("l40sx4", "4x Nvidia L40S", "48 vCPU", "382 GB", "3200 GB", gpu("L40S", "Nvidia", "4", "192 GB"), 8_300_000),
	flavor("l40sx8", "8x Nvidia L40S", "192 vCPU", "1534 GB", "6500 GB", gpu("L40S", "Nvidia", "8", "384 GB"), 23_500_000),
	flavor("a10g-small", "Nvidia A10G - small", "4 vCPU", "15 GB", "110 GB", gpu("A10G", "Nvidia", "1", "24 GB"), 1_000_000),
	flavor("a10g-large", "Nvidia A10G - large", "12 vCPU", "46 GB", "200 GB", gpu("A10G", "Nvidia", "1", "24 GB"), 1_500_000),
	flavor("a10g-largex2", "2x Nvidia A10G - large", "24 vCPU", "92 GB", "1000 GB", gpu("A10G", "Nvidia", "2", "48 GB"), 3_000_000),
	flavor("a10g-largex4", "4x Nvidia A10G - large", "48 vCPU", "184 GB", "2000 GB", gpu("A10G", "Nvidia", "4", "96 GB"), 5_000_000),
	flavor("a100-large", "Nvidia A100 - large", "12 vCPU", "142 GB", "1000 GB", gpu("A100", "Nvidia", "1", "80 GB"), 2_500_000),
	flavor("a100x4", "4x Nvidia A100", "48 vCPU", "568 GB", "4000 GB", gpu("A100", "Nvidia", "4", "320 GB"), 10_000_000),
	flavor("a100x8", "8x Nvidia A100", "96 vCPU", "1136 GB", "8000 GB", gpu("A100", "Nvidia", "8", "640 GB"), 20_000_000),
	flavor("h100", "Nvidia H100", "23 vCPU", "240 GB", "3000 GB", gpu("H100", "Nvidia", "1", "80 GB"), 4_500_000),
	flavor("h100x8", "8x Nvidia H100", "184 vCPU", "1920 GB", "24000 GB", gpu("H100", "Nvidia", "8", "640 GB"), 36_000_000),
}

func knownFlavor(name string) bool {
	for _, f := range Catalog {
		if f.Name == name {
			return true
		}
	}
	return false
}

func flavorNames() string {
	names := make([]string, len(Catalog))
	for i, f := range Catalog {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

func (e *Emulator) handleHardwareCatalog(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, Catalog)
}
