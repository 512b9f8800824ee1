package mailer

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestRenderSharesParsedTemplates renders one template from many
// goroutines with different data, as a queue of reminders does, and
// checks that each email carries its own values, escaped in HTML.
func TestRenderSharesParsedTemplates(t *testing.T) {
	tmpl := Template{Subject: "Dues of {{.Name}}", Text: "Hello {{.Name}}", HTML: "<p>Hello {{.Name}}</p>"}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Go(func() {
			name := fmt.Sprintf("Asha <%d>", i)
			m, err := Render(tmpl, map[string]string{"Name": name})
			switch {
			case err != nil:
				errs <- err
			case m.Subject != "Dues of "+name || m.Text != "Hello "+name:
				errs <- fmt.Errorf("email %d has subject %q and text %q", i, m.Subject, m.Text)
			case !strings.Contains(m.HTML, fmt.Sprintf("Asha &lt;%d&gt;", i)):
				errs <- fmt.Errorf("email %d has HTML %q", i, m.HTML)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// A source edited into a broken one fails even though the good one
	// was parsed before.
	tmpl.Text = "Hello {{.Name"
	if _, err := Render(tmpl, map[string]string{"Name": "Asha"}); err == nil {
		t.Error("a broken text body rendered without an error")
	}
}
