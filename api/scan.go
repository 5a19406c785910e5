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
	if clean(body) {
		return nil
	}
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

// clean is scan's fast path, for the common body: without escapes a string ends at the
// next quote, so one pass over the bytes can prove that no string holds a control
// character or passes maxText, no object repeats a key, no array passes maxArray and
// nothing nests deeper than maxDepth. Whatever it cannot prove (an escape, a tab or line
// break in a string, a C1 or DEL byte, malformed JSON) goes to the full scan, which names
// the place; clean never refuses anything itself.
func clean(body []byte) bool {
	if bytes.IndexByte(body, '\\') >= 0 {
		return false
	}
	type level struct {
		object bool
		keys   [][]byte // an object's keys so far
		commas int      // an array's commas so far: one fewer than its elements
		key    bool     // an object expects a key next
	}
	var stack []level
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '"':
			end := bytes.IndexByte(body[i+1:], '"')
			if end < 0 || end > 4*maxText { // a string of maxText characters is at most 4*maxText bytes
				return false
			}
			str := body[i+1 : i+1+end]
			for j, b := range str {
				if b < 0x20 || b == 0x7f || (b == 0xc2 && j+1 < len(str) && str[j+1] >= 0x80 && str[j+1] <= 0x9f) {
					return false
				}
			}
			if end > maxText && utf8.RuneCount(str) > maxText {
				return false
			}
			if top := len(stack) - 1; top >= 0 && stack[top].object && stack[top].key {
				for _, k := range stack[top].keys {
					if bytes.Equal(k, str) {
						return false
					}
				}
				stack[top].keys = append(stack[top].keys, str)
				stack[top].key = false
			}
			i += end + 1
		case c == '{' || c == '[':
			if len(stack) >= maxDepth {
				return false
			}
			stack = append(stack, level{object: c == '{', key: c == '{'})
		case c == '}' || c == ']':
			if len(stack) == 0 {
				return false
			}
			stack = stack[:len(stack)-1]
		case c == ',':
			if len(stack) == 0 {
				return false
			}
			if top := &stack[len(stack)-1]; top.object {
				top.key = true
			} else if top.commas++; top.commas >= maxArray {
				return false
			}
		}
	}
	return len(stack) == 0
}
