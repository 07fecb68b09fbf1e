package fleet

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
)

// markerPrefix starts the description Apply gives the secrets it writes.
const markerPrefix = "hfspaces:pbkdf2-sha256:"

// DefaultSecretIterations is the PBKDF2 iteration count of new markers.
// Markers keep their own count: changing it does not rewrite secrets.
const DefaultSecretIterations = 210_000

// maxIterations bounds the work a marker read from the Hub can ask for
// (about 0.4 s a check here; a marker asking for more is no marker), and
// the count Options.SecretIterations may set.
const maxIterations = 2_000_000

// secretMarker returns a new marker for value: random salt, iterations.
func secretMarker(value string, iterations int) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	sum, err := pbkdf2.Key(sha256.New, value, salt, iterations, 32)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return markerPrefix + strconv.Itoa(iterations) + ":" + enc.EncodeToString(salt) + ":" + enc.EncodeToString(sum), nil
}

// secretStatus says how a secret's desired value relates to the Hub's.
type secretStatus int

const (
	secretSame     secretStatus = iota // the marker matches the value
	secretChanged                      // the marker does not match
	secretUnmarked                     // no marker: the value is unknown
)

// checkMarker compares value with the marker in a secret's description.
func checkMarker(description, value string) secretStatus {
	rest, ok := strings.CutPrefix(strings.TrimSpace(description), markerPrefix)
	if !ok {
		return secretUnmarked
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 3 {
		return secretUnmarked
	}
	iter, err := strconv.Atoi(parts[0])
	if err != nil || iter < 1 || iter > maxIterations {
		return secretUnmarked
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[1])
	want, err2 := enc.DecodeString(parts[2])
	if err1 != nil || err2 != nil || len(salt) == 0 || len(want) != 32 {
		return secretUnmarked
	}
	got, err := pbkdf2.Key(sha256.New, value, salt, iter, 32)
	if err != nil {
		return secretUnmarked
	}
	if hmac.Equal(got, want) {
		return secretSame
	}
	return secretChanged
}

func (s secretStatus) String() string {
	switch s {
	case secretSame:
		return "unchanged"
	case secretChanged:
		return "changed"
	}
	return "unmarked"
}
