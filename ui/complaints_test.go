package ui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// firstCustomerLogin logs a new customer in through the window and sets
// password on the first-login screen.
func (e *uiEnv) firstCustomerLogin(nc service.NewCustomer, password string) {
	e.t.Helper()
	e.login(fmt.Sprint(nc.CRF), nc.InitialPassword)
	entries := findEntries(e.win.Content())
	if len(entries) < 2 {
		e.t.Fatal("first-login password screen not shown")
	}
	test.Type(entries[0], password)
	test.Type(entries[1], password)
	test.Tap(findButton(e.t, e.win.Content(), "Save password"))
	if e.root.customer == nil {
		e.t.Fatal("customer window not shown after choosing a password")
	}
}

func (e *uiEnv) logout() {
	e.t.Helper()
	test.Tap(findButton(e.t, e.win.Content(), "Log out"))
}

// openAdminComplaints logs the admin in and opens the complaints screen.
func (e *uiEnv) openAdminComplaints() *complaintsScreen {
	e.t.Helper()
	e.login("admin", testAdminPassword)
	if e.root.admin == nil || !e.root.admin.nav.openTitle("Complaints") {
		e.t.Fatal("admin window has no Complaints page")
	}
	return e.root.admin.complaints
}

// labelTexts returns the text of every label under o, one per line.
func labelTexts(o fyne.CanvasObject) string {
	var text []string
	for _, l := range findAll[*widget.Label](o) {
		text = append(text, l.Text)
	}
	return strings.Join(text, "\n")
}

func TestComplaintRaisedByCustomerResolvedByAdmin(t *testing.T) {
	e := newUIEnv(t)
	nc := e.addConnectedCustomer("Kavya Reddy", "300")
	e.firstCustomerLogin(nc, "kavya-pass-1")
	if !e.root.customer.nav.openTitle("Complaints") {
		t.Fatal("customer window has no Complaints page")
	}
	mine := e.root.customer.complaints
	if got := mine.form.service.Selected; got != "Cable TV" {
		t.Errorf("service of a customer with only cable TV = %q, want it chosen", got)
	}
	mine.form.category.SetSelected("No signal")
	test.Type(mine.form.description, "No picture on any channel since this morning.")
	test.Tap(mine.submit)
	if !strings.Contains(mine.result.Text, "CMP-2026-00001") {
		t.Fatalf("result after submitting = %q, want the new number", mine.result.Text)
	}
	if len(mine.complaints) != 1 || mine.complaints[0].Status != store.ComplaintOpen {
		t.Fatalf("customer's complaints after submitting = %+v, want one open", mine.complaints)
	}
	if mine.form.description.Text != "" {
		t.Errorf("description after submitting = %q, want the form emptied", mine.form.description.Text)
	}

	e.logout()
	screen := e.openAdminComplaints()
	if got := screen.title.Text; got != "Complaints (1 unread)" {
		t.Errorf("title = %q, want Complaints (1 unread)", got)
	}
	if len(screen.items) != 1 {
		t.Fatalf("admin list has %d complaints, want 1", len(screen.items))
	}
	screen.table.Select(widget.TableCellID{Row: 0, Col: 1})
	if got := screen.title.Text; got != "Complaints" {
		t.Errorf("title after opening the complaint = %q, want no unread count", got)
	}
	details := labelTexts(screen.details)
	for _, want := range []string{"CMP-2026-00001", "No picture on any channel", "Kavya Reddy", fmt.Sprint(nc.CRF), "Cable TV: Plan 300"} {
		if !strings.Contains(details, want) {
			t.Errorf("details lack %q:\n%s", want, details)
		}
	}

	const note = "The signal amplifier on your street was replaced. All channels are back."
	test.Tap(screen.resolve)
	test.Type(screen.note, note)
	test.Tap(findButton(t, overlayContent(t, e.win), "Resolve"))
	if top := e.win.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("resolve dialog still open: %s", labelTexts(top))
	}
	if screen.selected.Status != store.ComplaintResolved {
		t.Errorf("status after resolving = %s, want resolved", screen.selected.Status)
	}
	if !screen.resolve.Disabled() {
		t.Error("Resolve is still enabled on a resolved complaint")
	}
	if len(screen.items) != 0 {
		t.Errorf("the Not resolved list still has %d complaints", len(screen.items))
	}
	if emails := e.outbox(mailer.KindComplaintResolved); len(emails) != 1 || !strings.Contains(emails[0].Text, note) {
		t.Errorf("complaint resolved emails = %d, want 1 with the note", len(emails))
	}

	e.logout()
	e.login(fmt.Sprint(nc.CRF), "kavya-pass-1")
	if e.root.customer == nil || !e.root.customer.nav.openTitle("Complaints") {
		t.Fatal("customer complaints page not shown after logging in again")
	}
	mine = e.root.customer.complaints
	if len(mine.complaints) != 1 {
		t.Fatalf("customer's complaints = %d, want 1", len(mine.complaints))
	}
	listText := labelTexts(mine.list)
	if !strings.Contains(listText, "Resolved on 04 Dec 2026: "+note) {
		t.Errorf("customer's list does not show the resolution:\n%s", listText)
	}
	mine.list.Select(0)
	for _, want := range []string{"Status: Resolved", "Resolution:\n" + note} {
		if !strings.Contains(mine.detail.Text, want) {
			t.Errorf("customer's complaint view lacks %q:\n%s", want, mine.detail.Text)
		}
	}
}

func TestCustomerComplaintFormShowsFieldErrors(t *testing.T) {
	e := newUIEnv(t)
	nc := e.addConnectedCustomer("Arjun Das", "300")
	e.firstCustomerLogin(nc, "arjun-pass-1")
	e.root.customer.nav.openTitle("Complaints")
	mine := e.root.customer.complaints

	test.Type(mine.form.description, "No TV")
	test.Tap(mine.submit)
	for _, field := range []string{"category", "description"} {
		if hint := mine.fields.items[field].HintText; !strings.HasPrefix(hint, "⚠") {
			t.Errorf("%s hint = %q, want an error", field, hint)
		}
	}
	if hint := mine.fields.items["service"].HintText; strings.HasPrefix(hint, "⚠") {
		t.Errorf("service hint = %q, want no error", hint)
	}
	if len(mine.complaints) != 0 {
		t.Errorf("%d complaints recorded from an invalid form, want 0", len(mine.complaints))
	}
	if mine.form.description.Text != "No TV" {
		t.Errorf("description after a rejected submit = %q, want the typed text kept", mine.form.description.Text)
	}
}

func TestAdminComplaintsFiltersAndProgress(t *testing.T) {
	e := newUIEnv(t)
	admin := e.adminSession()
	first := e.addConnectedCustomer("Neha Joshi", "300")
	second := e.addConnectedCustomer("Farhan Sheikh", "350")
	raise := func(crf int64, category store.ComplaintCategory, text string) {
		t.Helper()
		_, err := e.svc.RaiseComplaint(context.Background(), admin, service.ComplaintInput{CRF: crf,
			Service: billing.ServiceCableTV, Category: category, Description: text})
		if err != nil {
			t.Fatal(err)
		}
	}
	e.clock.now = time.Date(2026, time.November, 30, 9, 0, 0, 0, time.Local)
	raise(first.CRF, store.CategorySetTopBox, "The set-top box restarts every few minutes.")
	e.clock.now = time.Date(2026, time.December, 4, 10, 0, 0, 0, time.Local)
	raise(second.CRF, store.CategoryBilling, "Charged twice for the November period.")

	screen := e.openAdminComplaints()
	if got := screen.title.Text; got != "Complaints (2 unread)" {
		t.Errorf("title = %q, want Complaints (2 unread)", got)
	}
	if got := screen.count.Text; got != "2 complaints" {
		t.Errorf("count = %q, want 2 complaints", got)
	}
	if got := screen.items[0].CustomerName; got != "Neha Joshi" {
		t.Errorf("first row = %s, want the oldest complaint, Neha Joshi's", got)
	}
	if got := complaintCell(screen.items[0], 3); got != "4 days" {
		t.Errorf("age cell of a complaint raised on 30 Nov = %q, want 4 days", got)
	}
	if got := complaintCell(screen.items[0], 0); got != "●" {
		t.Errorf("unread cell = %q, want ●", got)
	}

	screen.category.SetSelected("Billing")
	if len(screen.items) != 1 || screen.items[0].CustomerName != "Farhan Sheikh" {
		t.Errorf("billing complaints = %d, want Farhan Sheikh's only", len(screen.items))
	}
	screen.category.SetSelected("All categories")
	screen.age.SetSelected("Older than 3 days")
	if len(screen.items) != 1 || screen.items[0].CustomerName != "Neha Joshi" {
		t.Errorf("complaints older than 3 days = %d, want Neha Joshi's only", len(screen.items))
	}
	screen.age.SetSelected("Any age")

	screen.table.Select(widget.TableCellID{Row: 0, Col: 1})
	if got := screen.title.Text; got != "Complaints (1 unread)" {
		t.Errorf("title after opening one = %q, want Complaints (1 unread)", got)
	}
	test.Tap(screen.inProgress)
	if screen.selected.Status != store.ComplaintInProgress {
		t.Errorf("status after Mark in progress = %s, want in_progress", screen.selected.Status)
	}
	if !screen.inProgress.Disabled() {
		t.Error("Mark in progress is still enabled on a complaint in progress")
	}
	screen.status.SetSelected("In progress")
	if len(screen.items) != 1 || screen.items[0].CustomerName != "Neha Joshi" {
		t.Errorf("complaints in progress = %d, want Neha Joshi's only", len(screen.items))
	}
	screen.status.SetSelected("Resolved")
	if len(screen.items) != 0 {
		t.Errorf("resolved complaints = %d, want 0", len(screen.items))
	}
}

func TestAdminRaisesComplaintForCaller(t *testing.T) {
	e := newUIEnv(t)
	nc := e.addConnectedCustomer("Deepa Pillai", "300")
	screen := e.openAdminComplaints()

	test.Tap(findButton(t, e.win.Content(), "New complaint"))
	test.Type(screen.newComplaintCRF, fmt.Sprint(nc.CRF))
	screen.newComplaint.service.SetSelected("Broadband")
	screen.newComplaint.category.SetSelected("Slow speed")
	test.Type(screen.newComplaint.description, "Caller says the internet is slow in the evening.")
	test.Tap(findButton(t, overlayContent(t, e.win), "Save"))
	if hint := formHint(t, overlayContent(t, e.win), "Service"); !strings.Contains(hint, "no Broadband connection") {
		t.Errorf("service hint = %q, want it to name the unconnected service", hint)
	}

	screen.newComplaint.service.SetSelected("Cable TV")
	test.Tap(findButton(t, overlayContent(t, e.win), "Save"))
	if info := labelTexts(overlayContent(t, e.win)); !strings.Contains(info, "CMP-2026-00001") {
		t.Errorf("confirmation lacks the number:\n%s", info)
	}
	if len(screen.items) != 1 || screen.items[0].CustomerCRF != nc.CRF {
		t.Fatalf("list after saving = %+v, want the new complaint", screen.items)
	}
	if screen.selected.Number != "CMP-2026-00001" {
		t.Errorf("selected complaint = %q, want the new one", screen.selected.Number)
	}
}

// formHint returns the hint text of the form item labelled label.
func formHint(t *testing.T, o fyne.CanvasObject, label string) string {
	t.Helper()
	for _, f := range findAll[*widget.Form](o) {
		for _, item := range f.Items {
			if item.Text == label {
				return item.HintText
			}
		}
	}
	t.Fatalf("no form item %q", label)
	return ""
}

// TestComplaintScreenshots renders both complaint screens with sample data
// into the folder named by CTVMS_SCREENSHOTS, such as docs.
func TestComplaintScreenshots(t *testing.T) {
	if os.Getenv("CTVMS_SCREENSHOTS") == "" {
		t.Skip("set CTVMS_SCREENSHOTS to a folder to write screenshots")
	}
	e := newUIEnv(t)
	fyne.CurrentApp().Settings().SetTheme(lightTheme{theme.DefaultTheme()})
	customers := seedScreenshotComplaints(t, e)

	screen := e.openAdminComplaints()
	screen.table.Select(widget.TableCellID{Row: 1, Col: 1})
	saveScreenshot(t, e.win, "complaints-admin.png")

	e.logout()
	e.login(fmt.Sprint(customers[0]), "screens-pass-1")
	e.root.customer.nav.openTitle("Complaints")
	mine := e.root.customer.complaints
	mine.form.category.SetSelected("Set-top box")
	mine.form.description.SetText("The remote does not change channels any more.")
	mine.list.Select(0)
	saveScreenshot(t, e.win, "complaints-customer.png")
}

// seedScreenshotComplaints adds customers and complaints of every status,
// raised on different days, and returns the customers' CRF numbers. Every
// customer's password is screens-pass-1.
func seedScreenshotComplaints(t *testing.T, e *uiEnv) []int64 {
	t.Helper()
	ctx := context.Background()
	admin := e.adminSession()
	plan, err := e.svc.CreatePlan(ctx, admin, service.PlanInput{Service: billing.ServiceCableTV,
		Name: "Family 350", Price: "350", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	people := []store.CustomerParams{
		{Name: "Anitha Menon", Mobile: "9847012345", Email: "anitha@example.com", House: "14/2",
			Street: "Temple Road", City: "Thrissur", State: "Kerala", PostalCode: "680001"},
		{Name: "Suresh Patil", Mobile: "9822033445", Street: "Shivaji Nagar", City: "Pune"},
		{Name: "Fatima Khan", Mobile: "9930044556", Email: "fatima@example.com", Street: "Park Street", City: "Kolkata"},
		{Name: "Rahul Verma", Mobile: "9810055667", Street: "Civil Lines", City: "Jaipur"},
	}
	var crfs []int64
	for _, p := range people {
		nc, err := e.svc.CreateCustomer(ctx, admin, p)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Connect(ctx, admin, nc.CRF, service.ConnectInput{Service: billing.ServiceCableTV,
			PlanID: plan, DeviceID: fmt.Sprintf("STB-%d", nc.CRF), ActivatedOn: "2026-10-01"})
		if err != nil {
			t.Fatal(err)
		}
		sess, err := e.svc.Login(ctx, fmt.Sprint(nc.CRF), nc.InitialPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.SetInitialPassword(ctx, &sess, "screens-pass-1", "screens-pass-1"); err != nil {
			t.Fatal(err)
		}
		crfs = append(crfs, nc.CRF)
	}

	complaints := []struct {
		day      int
		customer int
		category store.ComplaintCategory
		text     string
	}{
		{21, 0, store.CategoryNoSignal, "No picture on the sports channels since the storm on Friday."},
		{25, 1, store.CategoryBilling, "The November bill shows two payments but only one was made."},
		{28, 2, store.CategorySetTopBox, "The set-top box shows error E-102 and restarts every few minutes."},
		{30, 0, store.CategoryOther, "Please move the connection point to the front room."},
		{33, 3, store.CategoryNoSignal, "Channels 200 to 240 are blank since this morning."},
	}
	var ids []int64
	for _, c := range complaints {
		e.clock.now = time.Date(2026, time.November, 1, 11, 30, 0, 0, time.Local).AddDate(0, 0, c.day-1)
		res, err := e.svc.RaiseComplaint(ctx, admin, service.ComplaintInput{CRF: crfs[c.customer],
			Service: billing.ServiceCableTV, Category: c.category, Description: c.text})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.Complaint.ID)
	}
	if _, err := e.svc.MarkComplaintInProgress(ctx, admin, ids[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ResolveComplaint(ctx, admin, ids[3], "The connection point was moved on 1 Dec."); err != nil {
		t.Fatal(err)
	}
	e.clock.now = time.Date(2026, time.December, 4, 10, 0, 0, 0, time.Local)
	return crfs
}
