package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"stateset/domain"
)

// The limits every request body keeps, whatever its module (docs/API.md, Limits). Fields
// may narrow them (a name is at most 500 characters, an order at most 500 lines).
const (
	maxText  = 10_000 // characters in any one string
	maxArray = 500    // elements in any one array
	maxDepth = 16     // objects and arrays nested in one another
)

// multiline names the fields whose text may span lines (tabs, line feeds and carriage
// returns); every other string is one line. Metadata values are the caller's own.
var multiline = map[string]bool{
	"notes": true, "note": true, "description": true, "body": true, "reason": true,
	"resolution": true, "message": true, "comment": true, "instructions": true,
}

// scan walks a whole body once, before any field is read, and refuses what no field may
// hold, naming each place (items[2].sku): a key given twice in one object (encoding/json
// would keep the last silently), control characters (NUL, C0 but for tabs and line breaks
// in free text, DEL, C1), a string over maxText characters, an array over maxArray
// elements and nesting deeper than maxDepth. Syntax errors are left to the decoder.
func scan(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	s := scanner{dec: dec}
	s.value("", "", 0)
	return s.v.Err()
}

type scanner struct {
	dec  *json.Decoder
	v    domain.Validation
	dead bool // a syntax error: stop, the decoder reports it
}

func (s *scanner) token() (json.Token, bool) {
	if s.dead {
		return nil, false
	}
	t, err := s.dec.Token()
	if err != nil {
		if !errors.Is(err, io.EOF) {
			s.dead = true
		}
		return nil, false
	}
	return t, true
}

// value reads one value at path; key is the object key it sits under ("" in arrays).
func (s *scanner) value(path, key string, depth int) {
	t, ok := s.token()
	if !ok {
		return
	}
	switch t := t.(type) {
	case json.Delim:
		if depth >= maxDepth {
			s.v.Add(orBody(path), "nested too deeply (at most "+strconv.Itoa(maxDepth)+" levels)")
			s.dead = true
			return
		}
		if t == '{' {
			s.object(path, depth+1)
		} else if t == '[' {
			s.array(path, key, depth+1)
		}
	case string:
		s.text(path, key, t)
	}
}

func (s *scanner) object(path string, depth int) {
	seen := map[string]bool{}
	for !s.dead && s.dec.More() {
		t, ok := s.token()
		if !ok {
			return
		}
		k, _ := t.(string)
		at := join(path, k)
		if seen[k] {
			s.v.Add(at, "given twice")
		}
		seen[k] = true
		s.text(at, "", k)
		if inMetadata(path) || k == "metadata" {
			s.value(at, "metadata", depth)
		} else {
			s.value(at, k, depth)
		}
	}
	s.token() // }
}

func (s *scanner) array(path, key string, depth int) {
	n := 0
	for !s.dead && s.dec.More() {
		if n == maxArray {
			s.v.Add(orBody(path), "at most "+strconv.Itoa(maxArray)+" elements")
		}
		s.value(path+"["+strconv.Itoa(n)+"]", key, depth)
		n++
	}
	s.token() // ]
}

// text checks one string (a value, or a key when key is "").
func (s *scanner) text(path, key, t string) {
	if utf8.RuneCountInString(t) > maxText {
		s.v.Add(orBody(path), "at most "+strconv.Itoa(maxText)+" characters")
		return
	}
	lines := multiline[key] || key == "metadata"
	for _, r := range t {
		if control(r) && !(lines && (r == '\t' || r == '\n' || r == '\r')) {
			s.v.Add(orBody(path), "must not hold control characters")
			return
		}
	}
}

func control(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// inMetadata reports whether path is a metadata object or within one.
func inMetadata(path string) bool {
	return path == "metadata" || strings.HasPrefix(path, "metadata.") || strings.Contains(path, ".metadata")
}
