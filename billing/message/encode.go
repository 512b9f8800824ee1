package message

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// jsonText is the JSON form of a Text, as Encode writes it:
//
//	{"key": "{{.Address}} rejected the recipient {{.To}}: {{.Reason}}",
//	 "values": {"Address": "127.0.0.1:25", "To": "a@example.com",
//	            "Reason": "550 No such user"}}
type jsonText struct {
	Key     string               `json:"key"`
	English string               `json:"english,omitempty"`
	Values  map[string]jsonValue `json:"values,omitempty"`
}

// jsonValue is a value of a jsonText: a JSON object for a nested text, or
// a JSON string for any other value, written in English.
type jsonValue struct {
	text    *jsonText
	english string
}

func (v jsonValue) MarshalJSON() ([]byte, error) {
	if v.text != nil {
		return json.Marshal(v.text)
	}
	return json.Marshal(v.english)
}

func (v *jsonValue) UnmarshalJSON(data []byte) error {
	switch {
	case bytes.HasPrefix(data, []byte(`"`)):
		return json.Unmarshal(data, &v.english)
	case bytes.HasPrefix(data, []byte("{")):
		v.text = new(jsonText)
		return json.Unmarshal(data, v.text)
	}
	return fmt.Errorf("message value %s is invalid: expected a string or an object", data)
}

// Encode returns the outermost *Error in err's chain as JSON, which Decode
// reads back, so that a message stored in a database can be shown later in
// the language of the screen. It returns false when err holds no *Error.
//
// A value that is a Text, or an error holding an *Error, is stored as a
// nested text. Every other value is stored as the English text it has in
// String: a number as fmt.Sprint writes it, and an error as its Error
// text, such as "connection refused", which stays in English.
func Encode(err error) ([]byte, bool) {
	e, ok := Find(err)
	if !ok {
		return nil, false
	}
	// A jsonText holds only strings and maps of them, which json.Marshal
	// always writes, so this error is never expected.
	data, marshalErr := json.Marshal(encodeText(prefixedText(e)))
	return data, marshalErr == nil
}

// prefixedText returns the text of e, with the text of the *Error that e
// wraps first when e comes from Wrap, as e.Error writes them.
func prefixedText(e *Error) Text {
	if inner, ok := e.Unwrap().(*Error); ok && e.Prefixed() {
		return Join(": ", prefixedText(inner), e.Text)
	}
	return e.Text
}

func encodeText(t Text) jsonText {
	out := jsonText{Key: t.Key, English: t.English}
	if len(t.Values) == 0 {
		return out
	}
	out.Values = make(map[string]jsonValue, len(t.Values))
	for name, v := range t.Values {
		switch v := v.(type) {
		case Text:
			nested := encodeText(v)
			out.Values[name] = jsonValue{text: &nested}
		case error:
			if e, ok := Find(v); ok {
				nested := encodeText(e.Text)
				out.Values[name] = jsonValue{text: &nested}
			} else {
				out.Values[name] = jsonValue{english: v.Error()}
			}
		default:
			out.Values[name] = jsonValue{english: fmt.Sprint(v)}
		}
	}
	return out
}

// Decode returns the text that Encode wrote to data. Values that were texts
// or message errors come back as texts, and all other values as strings.
func Decode(data []byte) (Text, error) {
	var stored jsonText
	if err := json.Unmarshal(data, &stored); err != nil {
		return Text{}, fmt.Errorf("decode message: %w", err)
	}
	if stored.Key == "" {
		return Text{}, errors.New("decode message: the key is missing")
	}
	return decodeText(stored), nil
}

func decodeText(stored jsonText) Text {
	t := Text{Key: stored.Key, English: stored.English}
	if len(stored.Values) == 0 {
		return t
	}
	t.Values = make(map[string]any, len(stored.Values))
	for name, v := range stored.Values {
		if v.text != nil {
			t.Values[name] = decodeText(*v.text)
		} else {
			t.Values[name] = v.english
		}
	}
	return t
}
