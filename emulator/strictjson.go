package emulator

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// The Hub is a JavaScript (Node) server: its JSON.parse keeps the last of
// duplicate keys, and a field is read by its exact name — "Flavor" is not
// "flavor". encoding/json matches names without regard to case, so request
// bodies go through exactNames first, which keeps only the members whose
// name is exactly a field's, the last one of duplicates, at every depth.

// exactNames returns data with, in every object decoded into a struct,
// only the members named exactly as one of its fields (the last of
// duplicates). Values that do not have the shape the type wants are left
// as they are, for json.Unmarshal to report.
func exactNames(data []byte, t reflect.Type) []byte {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if !mayDiffer(data, t) {
		return data
	}
	return exactNamesOf(data, t)
}

// mayDiffer reports whether encoding/json could read data differently from
// the Hub: false when data is ASCII without \u escapes (encoding/json folds
// some non-ASCII letters onto ASCII ones) and every field name that could
// be a key, at any depth, appears as a quoted string at most once and
// never in another case. A cheap check of the common body, which then
// goes to encoding/json as it is.
func mayDiffer(data []byte, t reflect.Type) bool {
	lower := make([]byte, len(data))
	for i, c := range data {
		if c >= utf8.RuneSelf || c == '\\' && i+1 < len(data) && data[i+1] == 'u' {
			return true
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	var quoted []byte
	for _, name := range allNames(t) {
		quoted = append(append(append(quoted[:0], '"'), name...), '"')
		exact := bytes.Count(data, quoted)
		if exact > 1 {
			return true
		}
		quoted = bytes.ToLower(quoted)
		if bytes.Count(lower, quoted) != exact {
			return true
		}
	}
	return false
}

var namesCache sync.Map // reflect.Type → []string

// allNames lists the JSON names of a type's fields at every depth.
func allNames(t reflect.Type) []string {
	if v, ok := namesCache.Load(t); ok {
		return v.([]string)
	}
	var names []string
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for name, ft := range jsonFields(t) {
			names = append(names, name)
			walk(ft)
		}
	}
	walk(t)
	namesCache.Store(t, names)
	return names
}

func exactNamesOf(data []byte, t reflect.Type) []byte {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return data
	}
	switch t.Kind() {
	case reflect.Struct:
		if trimmed[0] != '{' || t == reflect.TypeFor[json.RawMessage]() {
			return data
		}
		var members map[string]json.RawMessage // later duplicates overwrite
		if json.Unmarshal(data, &members) != nil {
			return data
		}
		fields := jsonFields(t)
		out := make(map[string]json.RawMessage, len(members))
		for name, v := range members {
			if ft, ok := fields[name]; ok {
				out[name] = exactNamesOf(v, ft)
			}
		}
		b, err := json.Marshal(out)
		if err != nil {
			return data
		}
		return b
	case reflect.Slice, reflect.Array:
		if trimmed[0] != '[' {
			return data
		}
		var elems []json.RawMessage
		if json.Unmarshal(data, &elems) != nil {
			return data
		}
		for i, v := range elems {
			elems[i] = exactNamesOf(v, t.Elem())
		}
		b, err := json.Marshal(elems)
		if err != nil {
			return data
		}
		return b
	}
	return data
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// jsonFields maps the JSON names of a struct's fields, those of embedded
// structs included, to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					if _, ok := m[k]; !ok {
						m[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	fieldCache.Store(t, m)
	return m
}
