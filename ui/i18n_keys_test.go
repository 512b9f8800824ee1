package ui

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/ctvms/ctvms/store/importer"
)

var updateEnglish = flag.Bool("update-en", false, "rewrite translations/en.json from the keys in the ui sources")

// parseUISources parses the non-test Go files of the ui package.
func parseUISources(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[path] = f
	}
	return fset, files
}

// stringLiteral returns the value of a string literal expression, or of
// literals joined with +.
func stringLiteral(e ast.Expr) (string, bool) {
	if sum, ok := e.(*ast.BinaryExpr); ok && sum.Op == token.ADD {
		left, okLeft := stringLiteral(sum.X)
		right, okRight := stringLiteral(sum.Y)
		return left + right, okLeft && okRight
	}
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// isLangCall reports whether call is lang.L, lang.X, lang.N or another
// function of Fyne's lang package that takes a key first.
func isLangCall(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "lang" && slices.Contains([]string{"L", "X", "N", "XN", "Localize",
		"LocalizeKey", "LocalizePlural", "LocalizePluralKey"}, sel.Sel.Name)
}

// translationKey is a key passed to the lang package with its English
// text and the position of its first use.
type translationKey struct {
	english, pos string
}

// translationKeys returns every literal key passed to the lang package in
// the ui sources, and the titles of the navigation pages. The English text
// of lang.X is its fallback, and of every other call the key itself.
func translationKeys(t *testing.T) map[string]translationKey {
	fset, files := parseUISources(t)
	keys := map[string]translationKey{}
	add := func(key, english string, pos token.Pos) {
		if _, seen := keys[key]; !seen {
			keys[key] = translationKey{english: english, pos: fset.Position(pos).String()}
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if !isLangCall(n) || len(n.Args) == 0 {
					return true
				}
				key, ok := stringLiteral(n.Args[0])
				if !ok {
					return true
				}
				english := key
				name := n.Fun.(*ast.SelectorExpr).Sel.Name
				if (name == "X" || name == "LocalizeKey") && len(n.Args) > 1 {
					english, _ = stringLiteral(n.Args[1])
				}
				add(key, english, n.Pos())
			case *ast.CompositeLit:
				for _, title := range pageTitles(n) {
					add(title, title, n.Pos())
				}
			}
			return true
		})
	}
	for key, k := range messageKeys(t) {
		if _, seen := keys[key]; !seen {
			keys[key] = k
		}
	}
	return keys
}

// messageDirs are the folders, relative to the ui package, whose Go
// sources compose messages with the message package.
var messageDirs = []string{"../billing", "../store", "../mailer"}

// messageKeyArgs gives, for each function that takes a message key, the
// index of the key among its arguments. The arguments after the key are
// name, value pairs, except for amountError, which names its one value,
// and NewID, whose English text comes first.
var messageKeyArgs = map[string]int{"message.New": 0, "message.NewID": 0, "message.NewError": 0, "message.Wrap": 1,
	"message.WithCause": 1,
	"amountError":       1}

// messageCall returns the name of call as messageKeyArgs spells it.
func messageCall(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if pkg, ok := f.X.(*ast.Ident); ok {
			return pkg.Name + "." + f.Sel.Name
		}
	}
	return ""
}

// messageKeys returns the keys of the messages composed outside the ui
// package: the literal keys passed to the message package in the sources
// of messageDirs, and the labels of the import fields, which the Import
// screen shows through lang.L. It fails the test when a message's value
// names differ from its placeholders.
func messageKeys(t *testing.T) map[string]translationKey {
	t.Helper()
	keys := map[string]translationKey{}
	for _, fi := range importer.Fields() {
		keys[fi.Label] = translationKey{english: fi.Label, pos: "importer.Fields " + string(fi.Field)}
	}
	fset := token.NewFileSet()
	for _, dir := range messageDirs {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				name := messageCall(call)
				index, ok := messageKeyArgs[name]
				if !ok || len(call.Args) <= index {
					return true
				}
				key, ok := stringLiteral(call.Args[index])
				if !ok {
					return true
				}
				pos := fset.Position(call.Pos()).String()
				english, pairs := key, call.Args[index+1:]
				if name == "message.NewID" && len(call.Args) > 1 {
					english, _ = stringLiteral(call.Args[1])
					pairs = call.Args[2:]
				}
				if _, seen := keys[key]; !seen {
					keys[key] = translationKey{english: english, pos: pos}
				}
				if name != "amountError" {
					checkValueNames(t, pos, english, pairs)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// checkValueNames fails the test when the literal value names among pairs
// differ from the placeholders of key.
func checkValueNames(t *testing.T, pos, key string, pairs []ast.Expr) {
	t.Helper()
	var names []string
	for i := 0; i < len(pairs); i += 2 {
		name, ok := stringLiteral(pairs[i])
		if !ok {
			return
		}
		names = append(names, name)
	}
	sort.Strings(names)
	if want := placeholders(key); !slices.Equal(names, want) {
		t.Errorf("%s: message %q has values %v, want %v", pos, key, names, want)
	}
}

// pageTitles returns the titles of a []page literal, which pageLabel
// translates when it shows them.
func pageTitles(lit *ast.CompositeLit) []string {
	array, ok := lit.Type.(*ast.ArrayType)
	if !ok {
		return nil
	}
	if elem, ok := array.Elt.(*ast.Ident); !ok || elem.Name != "page" {
		return nil
	}
	var titles []string
	for _, e := range lit.Elts {
		p, ok := e.(*ast.CompositeLit)
		if !ok || len(p.Elts) == 0 {
			continue
		}
		first := p.Elts[0]
		if kv, ok := first.(*ast.KeyValueExpr); ok {
			first = kv.Value
		}
		if title, ok := stringLiteral(first); ok {
			titles = append(titles, title)
		}
	}
	return titles
}

func readTranslations(t *testing.T, name string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("translations", name))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

func writeEnglish(t *testing.T, keys map[string]translationKey) {
	t.Helper()
	messages := map[string]string{}
	for key, k := range keys {
		messages[key] = k.english
	}
	data, err := json.MarshalIndent(messages, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("translations", "en.json"), append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTranslationKeysPresent(t *testing.T) {
	keys := translationKeys(t)
	if *updateEnglish {
		writeEnglish(t, keys)
	}
	for _, file := range []string{"en.json", "es.json"} {
		messages := readTranslations(t, file)
		var missing []string
		for key, k := range keys {
			if strings.TrimSpace(messages[key]) == "" {
				missing = append(missing, fmt.Sprintf("%s: %q", k.pos, key))
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%s has no text for %d keys:\n%s", file, len(missing), strings.Join(missing, "\n"))
		}
	}
}

// reservedKeys are the message fields of go-i18n, which a flat JSON file
// cannot use as keys, in any case. Texts like "Other" need lang.X with
// another key.
var reservedKeys = []string{"id", "description", "hash", "leftdelim", "rightdelim",
	"zero", "one", "two", "few", "many", "other"}

func TestTranslationKeysNotReserved(t *testing.T) {
	for key, k := range translationKeys(t) {
		if slices.Contains(reservedKeys, strings.ToLower(key)) {
			t.Errorf("%s: key %q is reserved by go-i18n; use lang.X with another key", k.pos, key)
		}
	}
}

var placeholderPattern = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func placeholders(s string) []string {
	var names []string
	for _, m := range placeholderPattern.FindAllStringSubmatch(s, -1) {
		names = append(names, m[1])
	}
	sort.Strings(names)
	return slices.Compact(names)
}

func TestTranslationPlaceholdersMatch(t *testing.T) {
	english := readTranslations(t, "en.json")
	for key, text := range readTranslations(t, "es.json") {
		if _, ok := english[key]; !ok {
			t.Errorf("es.json key %q is not in en.json", key)
		}
		if got, want := placeholders(text), placeholders(key); !slices.Equal(got, want) {
			t.Errorf("es.json %q has placeholders %v, want %v", key, got, want)
		}
	}
}

// visibleTextFuncs are the functions and methods whose string arguments
// people read.
var visibleTextFuncs = []string{
	"NewLabel", "NewLabelWithStyle", "NewButton", "NewButtonWithIcon", "NewCheck", "NewCard",
	"NewFormItem", "NewRadioGroup", "NewSelect", "NewHyperlink", "NewRichTextWithText",
	"NewRichTextFromMarkdown", "NewText", "SetText", "SetPlaceHolder", "SetTitle",
	"ShowInformation", "ShowConfirm", "ShowCustom", "ShowCustomConfirm", "NewConfirm",
	"NewCustom", "NewCustomConfirm", "NewCustomWithoutButtons", "NewInformation",
	"NewTabItem", "NewTabItemWithIcon", "NewMenuItem", "NewMenu", "NewProgressBarWithData",
	"screenTitle", "figureCard", "bigFigure", "errorPage", "newFormDialog", "showMessage",
	"setBusy", "setIdle", "runConnectionAction", "start", "finish", "export", "Append",
}

// visibleTextFields are widget fields whose string values people read.
var visibleTextFields = []string{"Text", "HintText", "PlaceHolder", "SubmitText", "CancelText",
	"ConfirmText", "DismissText", "Title", "Subtitle"}

// untranslatedAllowed are texts with letters that stay the same in every
// language.
var untranslatedAllowed = []string{"CTVMS", "CRF", "OTP", "PDF", "SMTP", "UPI", "ID", "KB", "MB"}

var formatVerbPattern = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]|\{\{[^}]*\}\}`)

// needsTranslation reports whether a literal contains words, ignoring
// format verbs and the allowed texts.
func needsTranslation(s string) bool {
	s = formatVerbPattern.ReplaceAllString(s, "")
	for _, word := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if !slices.Contains(untranslatedAllowed, word) {
			return true
		}
	}
	return false
}

// untranslatedLiterals returns the positions of literals with words in e
// that reach the screen without a lang call.
func untranslatedLiterals(fset *token.FileSet, e ast.Expr) []string {
	var found []string
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if isLangCall(n) {
				return false
			}
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "LogError" {
				return false
			}
		case *ast.FuncLit:
			return false
		case *ast.BasicLit:
			if s, ok := stringLiteral(n); ok && needsTranslation(s) {
				found = append(found, fmt.Sprintf("%s: %q", fset.Position(n.Pos()), s))
			}
		}
		return true
	})
	return found
}

func calledName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if f.Sel.Name == "add" {
			if x, ok := f.X.(*ast.SelectorExpr); ok && strings.HasSuffix(strings.ToLower(x.Sel.Name), "fields") {
				return "fields.add"
			}
		}
		return f.Sel.Name
	}
	return ""
}

func TestVisibleTextTranslated(t *testing.T) {
	fset, files := parseUISources(t)
	var found []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := calledName(n)
				if name == "fields.add" && len(n.Args) == 4 {
					found = append(found, untranslatedLiterals(fset, n.Args[1])...)
					found = append(found, untranslatedLiterals(fset, n.Args[3])...)
				} else if slices.Contains(visibleTextFuncs, name) {
					for _, arg := range n.Args {
						found = append(found, untranslatedLiterals(fset, arg)...)
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					sel, ok := lhs.(*ast.SelectorExpr)
					if ok && i < len(n.Rhs) && slices.Contains(visibleTextFields, sel.Sel.Name) {
						found = append(found, untranslatedLiterals(fset, n.Rhs[i])...)
					}
				}
			case *ast.KeyValueExpr:
				key, ok := n.Key.(*ast.Ident)
				if ok && slices.Contains(visibleTextFields, key.Name) {
					found = append(found, untranslatedLiterals(fset, n.Value)...)
				}
			}
			return true
		})
	}
	sort.Strings(found)
	found = slices.Compact(found)
	if len(found) > 0 {
		t.Errorf("%d visible texts are not passed through lang.L:\n%s", len(found), strings.Join(found, "\n"))
	}
}
