package hfhub

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The Hub's JSON, both ways. Every answer is decoded in one encoding/json
// pass into a wire struct below, leniently: a field that is absent, null
// or of an unexpected type is left at its zero value (encoding/json skips
// a mistyped value, fills the others and reports only the first mismatch,
// which lenientUnmarshal ignores); the few fields the Hub sends in more
// than one shape have small types of their own that never fail. The
// library's types are then filled from the wire structs, and written back
// (MarshalJSON) in the same shape, from their fields.

// lenientUnmarshal decodes JSON into a wire struct, skipping values of an
// unexpected type; malformed JSON, or anything but an object, is an error.
func lenientUnmarshal(data []byte, v any) error {
	if !isObject(data) {
		return errors.New("want a JSON object")
	}
	return ignoreTypeErrors(json.Unmarshal(data, v))
}

// ignoreTypeErrors drops the type mismatch encoding/json reports after
// decoding everything else.
func ignoreTypeErrors(err error) error {
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return nil
	}
	return err
}

// wireString is a string the Hub may send as a number: a JSON string, or
// a number kept as its literal text; anything else is "".
type wireString string

func (s *wireString) UnmarshalJSON(data []byte) error {
	*s = wireString(lenientString(data))
	return nil
}

// wireNumber is an integer the Hub sends as a JSON number or a numeric
// string. Anything else leaves it unset: json.Number would fail the whole
// object on a non-numeric string, which UnmarshalTypeError leniency misses.
type wireNumber struct {
	n  int
	ok bool
}

func (w *wireNumber) UnmarshalJSON(data []byte) error {
	w.n, w.ok = lenientInt(data)
	return nil
}

// wireTime is a timestamp: an RFC 3339 string, else the zero time (where
// time.Time's own decoder would fail the whole object).
type wireTime time.Time

func (t *wireTime) UnmarshalJSON(data []byte) error {
	*t = wireTime(lenientTime(data))
	return nil
}

// wireStorage is a runtime's storage: a tier, or an object naming it
// (current, tier or requested).
type wireStorage string

func (s *wireStorage) UnmarshalJSON(data []byte) error {
	*s = ""
	if isObject(data) {
		var st struct {
			Current   wireString `json:"current"`
			Tier      wireString `json:"tier"`
			Requested wireString `json:"requested"`
		}
		if json.Unmarshal(data, &st) == nil {
			*s = wireStorage(firstNonEmpty(string(st.Current), string(st.Tier), string(st.Requested)))
		}
		return nil
	}
	*s = wireStorage(lenientString(data))
	return nil
}

// wireRuntime is the runtime object.
type wireRuntime struct {
	Stage    string `json:"stage"`
	Hardware *struct {
		Current   string `json:"current"`
		Requested string `json:"requested"`
	} `json:"hardware"`
	Storage  wireStorage   `json:"storage"`
	GC       *wireNumber   `json:"gcTimeout"`
	DevMode  bool          `json:"devMode"`
	SDK      string        `json:"sdk"`
	SDKVer   string        `json:"sdkVersion"`
	RawLogs  bool          `json:"rawLogs"`
	HotRel   *HotReloading `json:"hotReloading"` // not an object: Raw is nil
	ErrMsg   string        `json:"errorMessage"`
	Volumes  []Volume      `json:"volumes"`
	Domains  []Domain      `json:"domains"`
	Replicas *wireReplicas `json:"replicas"` // not an object: ok is false
}

// wireReplicas is the replicas object: requested a number or "auto",
// current a number or a numeric string.
type wireReplicas struct {
	r  Replicas
	ok bool
}

func (w *wireReplicas) UnmarshalJSON(data []byte) error {
	var v struct {
		Requested wireString `json:"requested"`
		Current   wireNumber `json:"current"`
	}
	*w = wireReplicas{}
	if lenientUnmarshal(data, &v) == nil {
		*w = wireReplicas{r: Replicas{Requested: string(v.Requested), Current: v.Current.n}, ok: true}
	}
	return nil
}

// runtime fills a SpaceRuntime; raw is the object it came from.
func (w *wireRuntime) runtime(raw json.RawMessage) SpaceRuntime {
	r := SpaceRuntime{Stage: Stage(w.Stage), Storage: Storage(w.Storage), DevMode: w.DevMode, SDK: w.SDK,
		SDKVersion: w.SDKVer, RawLogs: w.RawLogs, ErrorMessage: w.ErrMsg, Volumes: w.Volumes, Domains: w.Domains, Raw: raw}
	if w.HotRel != nil && w.HotRel.Raw != nil {
		r.HotReloading = w.HotRel
	}
	if w.Replicas != nil && w.Replicas.ok {
		r.Replicas = &w.Replicas.r
	}
	if w.Hardware != nil {
		r.Hardware = Hardware(w.Hardware.Current)
		r.RequestedHardware = Hardware(w.Hardware.Requested)
	}
	if w.GC != nil && w.GC.ok {
		n := w.GC.n
		r.SleepTime = &n
	}
	return r
}

// UnmarshalJSON decodes a runtime object leniently: a null, absent or
// oddly typed field is left at its zero value rather than failing. A null
// runtime leaves r unchanged, as encoding/json does for its own types.
func (r *SpaceRuntime) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	return r.decodeOwned(append(json.RawMessage(nil), data...))
}

// decodeOwned decodes a buffer nobody else holds, keeping it as Raw without
// a copy (the client's hot path).
func (r *SpaceRuntime) decodeOwned(data []byte) error {
	var w wireRuntime
	if err := lenientUnmarshal(data, &w); err != nil {
		return err
	}
	*r = w.runtime(data)
	return nil
}

// MarshalJSON writes the runtime in the Hub's shape, from its fields (an
// edited runtime is written as edited; Raw is not used).
func (r SpaceRuntime) MarshalJSON() ([]byte, error) {
	type hardware struct {
		Current   *Hardware `json:"current"`
		Requested *Hardware `json:"requested"`
	}
	out := struct {
		Stage        Stage         `json:"stage"`
		Hardware     hardware      `json:"hardware"`
		Storage      *Storage      `json:"storage"`
		GCTimeout    *int          `json:"gcTimeout,omitempty"`
		Replicas     *Replicas     `json:"replicas,omitempty"`
		DevMode      bool          `json:"devMode"`
		SDK          string        `json:"sdk,omitempty"`
		SDKVersion   string        `json:"sdkVersion,omitempty"`
		RawLogs      bool          `json:"rawLogs,omitempty"`
		HotReloading *HotReloading `json:"hotReloading,omitempty"`
		ErrorMessage string        `json:"errorMessage,omitempty"`
		Volumes      []Volume      `json:"volumes,omitempty"`
		Domains      []Domain      `json:"domains,omitempty"`
	}{Stage: r.Stage, GCTimeout: r.SleepTime, Replicas: r.Replicas, DevMode: r.DevMode, SDK: r.SDK,
		SDKVersion: r.SDKVersion, RawLogs: r.RawLogs, HotReloading: r.HotReloading, ErrorMessage: r.ErrorMessage,
		Volumes: r.Volumes, Domains: r.Domains}
	if r.Hardware != "" {
		out.Hardware.Current = &r.Hardware
	}
	if r.RequestedHardware != "" {
		out.Hardware.Requested = &r.RequestedHardware
	}
	if r.Storage != "" {
		out.Storage = &r.Storage
	}
	return json.Marshal(out)
}

// UnmarshalJSON decodes a hot-reloading object leniently and keeps it in Raw.
func (h *HotReloading) UnmarshalJSON(data []byte) error {
	var w struct {
		Status wireString `json:"status"`
	}
	if !isObject(data) {
		*h = HotReloading{}
		return nil
	}
	if err := lenientUnmarshal(data, &w); err != nil {
		return err
	}
	*h = HotReloading{Status: string(w.Status), Raw: append(json.RawMessage(nil), data...)}
	return nil
}

// UnmarshalJSON reads requested as a number or "auto", current as a number
// or a numeric string; anything else is left zero.
func (p *Replicas) UnmarshalJSON(data []byte) error {
	var w wireReplicas
	if err := w.UnmarshalJSON(data); err != nil || !w.ok {
		return err
	}
	*p = w.r
	return nil
}

// MarshalJSON writes requested as a number when it is one (the Hub's
// shape), else as a string ("auto").
func (p Replicas) MarshalJSON() ([]byte, error) {
	out := struct {
		Requested any `json:"requested,omitempty"`
		Current   int `json:"current"`
	}{Current: p.Current}
	if n, err := strconv.Atoi(p.Requested); err == nil {
		out.Requested = n
	} else if p.Requested != "" {
		out.Requested = p.Requested
	}
	return json.Marshal(out)
}

// wireSpace is a space object (space info, or an entry of a listing).
type wireSpace struct {
	ID           string       `json:"id"`
	Author       string       `json:"author"`
	SHA          string       `json:"sha"`
	SDK          string       `json:"sdk"`
	Private      bool         `json:"private"`
	Disabled     bool         `json:"disabled"`
	Likes        wireNumber   `json:"likes"`
	LastModified wireTime     `json:"lastModified"`
	CreatedAt    wireTime     `json:"createdAt"`
	Subdomain    string       `json:"subdomain"`
	Host         string       `json:"host"`
	Tags         []string     `json:"tags"`
	Runtime      *wireRuntime `json:"runtime"`
}

// fill fills a SpaceInfo; raw is the object it came from (a buffer the
// SpaceInfo may keep).
func (w *wireSpace) fill(s *SpaceInfo, raw json.RawMessage) {
	*s = SpaceInfo{ID: w.ID, Author: w.Author, SHA: w.SHA, SDK: w.SDK, Private: w.Private, Disabled: w.Disabled,
		Likes: w.Likes.n, LastModified: time.Time(w.LastModified), CreatedAt: time.Time(w.CreatedAt),
		Subdomain: w.Subdomain, Host: w.Host, Tags: w.Tags, Raw: raw}
	if w.Runtime != nil {
		// encoding/json makes an empty runtime of a value that is no
		// object: the bytes tell.
		if rtRaw := objectField(raw, "runtime"); isObject(rtRaw) {
			rt := w.Runtime.runtime(rtRaw)
			s.Runtime = &rt
		}
	}
}

// UnmarshalJSON decodes a space object leniently and keeps it whole in Raw.
func (s *SpaceInfo) UnmarshalJSON(data []byte) error {
	return s.decodeOwned(append(json.RawMessage(nil), data...))
}

// decodeOwned decodes a buffer nobody else holds, keeping it as Raw.
func (s *SpaceInfo) decodeOwned(raw []byte) error {
	var w wireSpace
	if err := lenientUnmarshal(raw, &w); err != nil {
		return err
	}
	w.fill(s, raw)
	return nil
}

// decodeSpaces decodes a listing page, an array of space objects, in one
// pass of encoding/json's Decoder, whose offsets give each entry's bytes:
// each SpaceInfo's Raw is its part of page (which it keeps). A null entry,
// or one that is no object, is nil.
func decodeSpaces(page []byte) ([]*SpaceInfo, error) {
	dec := json.NewDecoder(bytes.NewReader(page))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok == nil { // null: no Spaces
		return nil, nil
	}
	if tok != json.Delim('[') {
		return nil, errors.New("want a JSON array")
	}
	var (
		out  []*SpaceInfo
		slab []SpaceInfo // SpaceInfos allocated a chunk at a time
		w    wireSpace
	)
	for dec.More() {
		start := dec.InputOffset()
		w = wireSpace{}
		if err := ignoreTypeErrors(dec.Decode(&w)); err != nil {
			return nil, err
		}
		end := dec.InputOffset()
		i := skipSpace(page, int(start))
		if i < len(page) && page[i] == ',' {
			i = skipSpace(page, i+1)
		}
		if i >= int(end) || page[i] != '{' {
			out = append(out, nil)
			continue
		}
		if len(slab) == 0 {
			slab = make([]SpaceInfo, 64)
		}
		info := &slab[0]
		slab = slab[1:]
		w.fill(info, page[i:end:end])
		out = append(out, info)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return out, nil
}

// MarshalJSON writes the space object in the Hub's shape, from the fields.
func (s SpaceInfo) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID           string        `json:"id"`
		Author       string        `json:"author,omitempty"`
		SHA          string        `json:"sha,omitempty"`
		SDK          string        `json:"sdk,omitempty"`
		Private      bool          `json:"private"`
		Disabled     bool          `json:"disabled"`
		Likes        int           `json:"likes"`
		LastModified time.Time     `json:"lastModified,omitzero"`
		CreatedAt    time.Time     `json:"createdAt,omitzero"`
		Subdomain    string        `json:"subdomain,omitempty"`
		Host         string        `json:"host,omitempty"`
		Tags         []string      `json:"tags,omitempty"`
		Runtime      *SpaceRuntime `json:"runtime,omitempty"`
	}{s.ID, s.Author, s.SHA, s.SDK, s.Private, s.Disabled, s.Likes, s.LastModified, s.CreatedAt,
		s.Subdomain, s.Host, s.Tags, s.Runtime})
}

// wireUser is the whoami-v2 answer.
type wireUser struct {
	Type     string `json:"type"`
	Name     string `json:"name"`
	FullName string `json:"fullname"`
	Orgs     []Org  `json:"orgs"`
	Auth     struct {
		AccessToken struct {
			DisplayName string `json:"displayName"`
			Role        string `json:"role"`
		} `json:"accessToken"`
	} `json:"auth"`
}

// UnmarshalJSON decodes the whoami-v2 answer leniently: an organization or
// auth value of an unexpected shape is left out rather than failing.
func (u *User) UnmarshalJSON(data []byte) error {
	return u.decodeOwned(append(json.RawMessage(nil), data...))
}

// decodeOwned decodes a buffer nobody else holds, keeping it as Raw.
func (u *User) decodeOwned(raw []byte) error {
	var w wireUser
	if err := lenientUnmarshal(raw, &w); err != nil {
		return err
	}
	*u = User{Type: w.Type, Name: w.Name, FullName: w.FullName, TokenName: w.Auth.AccessToken.DisplayName,
		TokenRole: w.Auth.AccessToken.Role, Raw: raw}
	for _, o := range w.Orgs {
		if o.Name != "" {
			u.Orgs = append(u.Orgs, o)
		}
	}
	return nil
}

// MarshalJSON writes the user in the whoami-v2 shape, from the fields.
func (u User) MarshalJSON() ([]byte, error) {
	var w wireUser
	w.Type, w.Name, w.FullName, w.Orgs = u.Type, u.Name, u.FullName, u.Orgs
	w.Auth.AccessToken.DisplayName, w.Auth.AccessToken.Role = u.TokenName, u.TokenRole
	if w.Orgs == nil {
		w.Orgs = []Org{}
	}
	return json.Marshal(w)
}

// wireFloat is a number the Hub sends as a JSON number or a numeric
// string; anything else, NaN and infinities leave it unset.
type wireFloat struct {
	f  float64
	ok bool
}

func (w *wireFloat) UnmarshalJSON(data []byte) error {
	w.f, w.ok = lenientFloat(data)
	return nil
}

// wireAccelerator is a catalog entry's accelerator; a value that is no
// object leaves ok false.
type wireAccelerator struct {
	a  Accelerator
	ok bool
}

func (w *wireAccelerator) UnmarshalJSON(data []byte) error {
	var v struct {
		Type         wireString `json:"type"`
		Model        wireString `json:"model"`
		Quantity     wireNumber `json:"quantity"`
		VRAM         wireString `json:"vram"`
		Manufacturer wireString `json:"manufacturer"`
	}
	*w = wireAccelerator{}
	if lenientUnmarshal(data, &v) == nil {
		*w = wireAccelerator{a: Accelerator{Type: string(v.Type), Model: string(v.Model), Quantity: v.Quantity.n,
			VRAM: string(v.VRAM), Manufacturer: string(v.Manufacturer)}, ok: true}
	}
	return nil
}

// UnmarshalJSON accepts a quantity given as a number or a string. Anything
// but an object decodes to the zero value.
func (a *Accelerator) UnmarshalJSON(data []byte) error {
	var w wireAccelerator
	_ = w.UnmarshalJSON(data)
	*a = w.a
	return nil
}

// wireHardware is an entry of the hardware catalog.
type wireHardware struct {
	Name             wireString       `json:"name"`
	PrettyName       wireString       `json:"prettyName"`
	CPU              wireString       `json:"cpu"`
	RAM              wireString       `json:"ram"`
	EphemeralStorage wireString       `json:"ephemeralStorage"`
	Accelerator      *wireAccelerator `json:"accelerator"` // not an object: nil
	UnitCostMicroUSD wireFloat        `json:"unitCostMicroUSD"`
	UnitCostUSD      wireFloat        `json:"unitCostUSD"`
	UnitLabel        wireString       `json:"unitLabel"`
}

func (w *wireHardware) info() HardwareInfo {
	h := HardwareInfo{Name: Hardware(w.Name), PrettyName: string(w.PrettyName), CPU: string(w.CPU), RAM: string(w.RAM),
		EphemeralStorage: string(w.EphemeralStorage), UnitLabel: string(w.UnitLabel), UnitCostUSD: w.UnitCostUSD.f}
	if w.Accelerator != nil && w.Accelerator.ok {
		h.Accelerator = &w.Accelerator.a
	}
	if n := w.UnitCostMicroUSD.f; w.UnitCostMicroUSD.ok && n >= -(1<<63) && n < 1<<63 {
		h.UnitCostMicroUSD = int64(n)
	}
	return h
}

// UnmarshalJSON decodes a catalog entry leniently: an accelerator that is
// not an object is nil, a price that is not a finite number is zero.
func (h *HardwareInfo) UnmarshalJSON(data []byte) error {
	var w wireHardware
	if err := lenientUnmarshal(data, &w); err != nil {
		return err
	}
	*h = w.info()
	return nil
}

// decodeCatalog decodes the hardware catalog; an entry that is no object
// (null included) is left out.
func decodeCatalog(data []byte) ([]HardwareInfo, error) {
	var entries []*wireHardware
	if err := ignoreTypeErrors(json.Unmarshal(data, &entries)); err != nil {
		return nil, err
	}
	if !isNull(data) && (len(bytes.TrimSpace(data)) == 0 || bytes.TrimSpace(data)[0] != '[') {
		return nil, errors.New("want a JSON array")
	}
	list := make([]HardwareInfo, 0, len(entries))
	for _, e := range entries {
		if e != nil {
			list = append(list, e.info())
		}
	}
	return list, nil
}

// wireEnvEntry is one entry of the variables or secrets map.
type wireEnvEntry struct {
	Value       wireString `json:"value"`
	Description wireString `json:"description"`
	UpdatedAt   wireTime   `json:"updatedAt"`
}

func (e *wireEnvEntry) variable(key string) *SpaceVariable {
	return &SpaceVariable{Key: key, Value: string(e.Value), Description: string(e.Description), UpdatedAt: time.Time(e.UpdatedAt)}
}

// decodeEnv decodes the variables or secrets map; an entry that is no
// object has zero fields.
func decodeEnv(data []byte) (map[string]wireEnvEntry, error) {
	var m map[string]wireEnvEntry
	if !isObject(data) {
		return nil, errors.New("want a JSON object")
	}
	if err := ignoreTypeErrors(json.Unmarshal(data, &m)); err != nil {
		return nil, err
	}
	return m, nil
}

// lenient decoders of one value: a missing, null or mistyped value is the
// zero value.

// lenientString is a JSON string's text, or a number's literal text.
func lenientString(raw []byte) string {
	if len(raw) == 0 || raw[0] != '"' {
		if len(raw) > 0 && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')) {
			return string(raw)
		}
		return ""
	}
	// The common case, a short ASCII string without escapes, needs no
	// decoder: encoding/json has checked the JSON already.
	if len(raw) >= 2 && raw[len(raw)-1] == '"' && plainASCII(raw[1:len(raw)-1]) {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// plainASCII reports whether b holds only printable ASCII without '"' or
// '\\': a JSON string's content that means itself.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func lenientInt(raw []byte) (int, bool) {
	// The common case: a plain integer of a few digits, read without the
	// string lenientFloat would make.
	if n := len(raw); n > 0 && n <= 15 {
		v, neg, i := 0, raw[0] == '-', 0
		if neg {
			i = 1
		}
		for ; i < n && raw[i] >= '0' && raw[i] <= '9'; i++ {
			v = v*10 + int(raw[i]-'0')
		}
		if i == n && n > 0 && (!neg || n > 1) {
			if neg {
				v = -v
			}
			return v, true
		}
	}
	f, ok := lenientFloat(raw)
	if !ok || f > 1<<53 || f < -(1<<53) {
		return 0, false
	}
	return int(f), true
}

func lenientFloat(raw []byte) (float64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return 0, false
	}
	s := string(raw)
	if raw[0] == '"' {
		s = lenientString(raw)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func lenientTime(raw []byte) time.Time {
	if len(raw) >= 2 && raw[0] == '"' {
		if t, ok := parseHubTime(raw[1 : len(raw)-1]); ok {
			return t
		}
	}
	s := lenientString(raw)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// parseHubTime reads the Hub's timestamps, "2025-03-07T12:24:19.337Z" (UTC,
// 0 to 9 fraction digits), without the string time.Parse needs; ok is
// false for any other form, which time.Parse then reads.
func parseHubTime(b []byte) (t time.Time, ok bool) {
	if len(b) < 20 || b[len(b)-1] != 'Z' || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, ok1 := num(b[0:4])
	month, ok2 := num(b[5:7])
	day, ok3 := num(b[8:10])
	hour, ok4 := num(b[11:13])
	minute, ok5 := num(b[14:16])
	sec, ok6 := num(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	if frac := b[19 : len(b)-1]; len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, false
		}
		n, ok := num(frac[1:])
		if !ok {
			return time.Time{}, false
		}
		for range 10 - len(frac) {
			n *= 10
		}
		nsec = n
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day { // 31 February and the like: time.Parse refuses them
		return time.Time{}, false
	}
	return t, true
}

// isObject reports whether raw JSON is an object.
func isObject(raw []byte) bool {
	i := skipSpace(raw, 0)
	return i < len(raw) && raw[i] == '{'
}

// isNull reports whether raw JSON is the null literal.
func isNull(raw []byte) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// Scanning JSON that encoding/json has already found valid, to find the
// bytes of a value (a Raw field) without decoding it again.

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string that starts at b[i] ('"').
func skipString(b []byte, i int) int {
	i++
	for {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return len(b)
		}
		i += j
		// An escaped quote has an odd number of backslashes before it.
		k := i
		for k > 0 && b[k-1] == '\\' {
			k--
		}
		i++
		if (i-1-k)%2 == 0 {
			return i
		}
	}
}

// skipValue returns the index after the value that starts at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// objectField returns the bytes of the value of key in a JSON object,
// matching keys as encoding/json does (the last one that equals key
// without regard to case); nil when there is none or it is null.
func objectField(obj []byte, key string) json.RawMessage {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return nil
	}
	var found json.RawMessage
	i++
	for {
		i = skipSpace(obj, i)
		if i >= len(obj) || obj[i] != '"' {
			break
		}
		kEnd := skipString(obj, i)
		k := obj[i+1 : kEnd-1]
		i = skipSpace(obj, kEnd)
		if i >= len(obj) || obj[i] != ':' {
			break
		}
		i = skipSpace(obj, i+1)
		end := skipValue(obj, i)
		if bytes.EqualFold(k, []byte(key)) || (bytes.IndexByte(k, '\\') >= 0 && strings.EqualFold(lenientString(obj[kEnd-len(k)-2:kEnd]), key)) {
			found = obj[i:end:end]
		}
		i = skipSpace(obj, end)
		if i >= len(obj) || obj[i] != ',' {
			break
		}
		i++
	}
	if isNull(found) {
		return nil
	}
	return found
}
