package service

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/importer"
)

// ImportPreviewRows is how many data rows PreviewImport returns.
const ImportPreviewRows = 20

// ImportPreview is a first look at a file to import.
type ImportPreview struct {
	Path string
	// Sheet is the sheet read, and Sheets every sheet of the workbook;
	// both are empty for a CSV file.
	Sheet   string
	Sheets  []string
	Headers []string
	// Mapping is the proposed column for each field, from the headers.
	Mapping importer.Mapping
	// Rows are the first ImportPreviewRows data rows as read.
	Rows      []importer.Row
	TotalRows int
}

// PreviewImport reads a .xlsx or .csv file and proposes a column mapping
// from its headers. An empty sheet means the first sheet. Admin only.
func (s *Service) PreviewImport(ctx context.Context, sess Session, path, sheet string) (ImportPreview, error) {
	if err := requireAdmin(sess); err != nil {
		return ImportPreview{}, err
	}
	sheets, err := importer.Sheets(path)
	if err != nil {
		return ImportPreview{}, err
	}
	if sheet == "" && len(sheets) > 0 {
		sheet = sheets[0]
	}
	t, err := importer.ReadFile(path, sheet)
	if err != nil {
		return ImportPreview{}, err
	}
	return ImportPreview{Path: path, Sheet: sheet, Sheets: sheets, Headers: t.Headers,
		Mapping: importer.ProposeMapping(t.Headers), Rows: t.Rows[:min(ImportPreviewRows, len(t.Rows))],
		TotalRows: len(t.Rows)}, nil
}

// ImportReport is the outcome of checking a file: its problems, and what an
// import would write when there are none.
type ImportReport struct {
	Rows     int
	Problems []importer.Problem
	// KeptCRFs counts rows with a CRF number from the earlier system; the
	// other rows get the next free numbers.
	KeptCRFs  int
	CableTV   int
	Broadband int
	// WithEmail counts customers who would get a welcome email.
	WithEmail int
}

// OK reports whether the file can be imported as it is.
func (r ImportReport) OK() bool { return len(r.Problems) == 0 }

// ImportProblemsError is returned by RunImport for a file with problems;
// nothing is written.
type ImportProblemsError struct {
	Report ImportReport
}

func (e *ImportProblemsError) Error() string {
	n := len(e.Report.Problems)
	noun := "problems"
	if n == 1 {
		noun = "problem"
	}
	return fmt.Sprintf("the file has %d %s and nothing was imported: run a dry run, fix the rows it lists and try again",
		n, noun)
}

// DryRunImport checks every row of a file as an import would, without
// writing anything: the customer fields by the rules of the customer form,
// dates, plans, and CRF and mobile numbers against each other and against
// the database. Admin only.
func (s *Service) DryRunImport(ctx context.Context, sess Session, path, sheet string, m importer.Mapping) (ImportReport, error) {
	if err := requireAdmin(sess); err != nil {
		return ImportReport{}, err
	}
	_, report, err := s.checkImport(ctx, path, sheet, m)
	return report, err
}

// importRow is a checked row, ready to write.
type importRow struct {
	row         int
	crf         int64
	customer    store.CustomerParams
	connections []store.ImportConnection
}

// importCheck holds the state of one check run over a file.
type importCheck struct {
	headers  []string
	mapping  importer.Mapping
	today    billing.Date
	plans    map[billing.Service]map[string]store.Plan // by SearchKey of the name
	problems []importer.Problem
}

func (s *Service) checkImport(ctx context.Context, path, sheet string, m importer.Mapping) ([]importRow, ImportReport, error) {
	t, err := importer.ReadFile(path, sheet)
	if err != nil {
		return nil, ImportReport{}, err
	}
	if err := m.Check(t.Headers); err != nil {
		return nil, ImportReport{}, err
	}
	plans, err := s.store.ListPlans(ctx, true)
	if err != nil {
		return nil, ImportReport{}, err
	}
	c := &importCheck{headers: t.Headers, mapping: m, today: s.Today(), plans: plansByName(plans)}
	records, problems := importer.Parse(t, m, importer.ParseOptions{Today: c.today})
	c.problems = problems

	rows := make([]importRow, 0, len(records))
	for _, rec := range records {
		rows = append(rows, c.row(s, rec))
	}
	if err := c.checkStored(ctx, s.store, rows); err != nil {
		return nil, ImportReport{}, err
	}
	c.checkMobilesInFile(rows)
	importer.SortProblems(c.problems)
	return rows, c.report(rows), nil
}

func plansByName(plans []store.Plan) map[billing.Service]map[string]store.Plan {
	out := map[billing.Service]map[string]store.Plan{}
	for _, p := range plans {
		if out[p.Service] == nil {
			out[p.Service] = map[string]store.Plan{}
		}
		out[p.Service][store.SearchKey(strings.TrimSpace(p.Name))] = p
	}
	return out
}

func (c *importCheck) add(row int, f importer.Field, text message.Text) {
	column := f.Label()
	if i, ok := c.mapping.Column(f); ok {
		column = importer.ColumnName(c.headers, i)
	}
	c.problems = append(c.problems, importer.Problem{Row: row, Column: column, Field: f,
		Message: text.String(), Text: text})
}

// row validates one record with the customer form's rules and resolves its
// plans.
func (c *importCheck) row(s *Service, rec importer.Record) importRow {
	p := store.CustomerParams{Name: rec.Name, Mobile: rec.Mobile, Email: rec.Email, House: rec.House,
		Street: rec.Street, City: rec.City, State: rec.State, PostalCode: rec.PostalCode,
		IDProofType: rec.IDProofType, IDProofNumber: rec.IDProofNumber, DateOfBirth: rec.DateOfBirth.String(),
		Notes: rec.Notes}
	valid, err := s.validateCustomer(p)
	if fe, ok := AsFieldErrors(err); ok {
		for _, e := range fe {
			c.add(rec.Row, importer.Field(e.Field), e.Text)
		}
		// The mobile is compared with others only once it is valid.
		if fe.For("mobile") != "" {
			valid.Mobile = ""
		}
	}
	r := importRow{row: rec.Row, crf: rec.CRF, customer: valid}
	services := []struct {
		service billing.Service
		rec     importer.ServiceRecord
		plan    importer.Field
		device  importer.Field
	}{
		{billing.ServiceCableTV, rec.CableTV, importer.FieldCablePlan, importer.FieldCableDevice},
		{billing.ServiceBroadband, rec.Broadband, importer.FieldBroadbandPlan, importer.FieldBroadbandDevice},
	}
	for _, sv := range services {
		if !sv.rec.HasPlan() {
			continue
		}
		conn, ok := c.connection(rec.Row, sv.service, sv.rec, sv.plan, sv.device)
		if ok {
			r.connections = append(r.connections, conn)
		}
	}
	return r
}

func (c *importCheck) connection(row int, service billing.Service, rec importer.ServiceRecord,
	planField, deviceField importer.Field) (store.ImportConnection, bool) {
	ok := true
	plan, found := c.plans[service][store.SearchKey(rec.Plan)]
	switch {
	case !found:
		c.add(row, planField, message.New("{{.Label}} {{.Plan}} is not a {{.Service}} plan; use one of: {{.Plans}}.",
			"Label", planField.Text(), "Plan", strconv.Quote(rec.Plan), "Service", store.ServiceText(service),
			"Plans", c.planNames(service)))
		ok = false
	case !plan.Active:
		c.add(row, planField, message.New("{{.Label}} {{.Plan}} is no longer offered; choose an offered plan, or "+
			"offer it again on the Plans screen.", "Label", planField.Text(), "Plan", strconv.Quote(plan.Name)))
		ok = false
	}
	var v validator
	v.maxLen(string(deviceField), deviceField.Text(), rec.Device, 64)
	v.noControl(string(deviceField), deviceField.Text(), rec.Device)
	for _, e := range v.errs {
		c.add(row, deviceField, e.Text)
		ok = false
	}
	activated := rec.ActivatedOn
	if activated.IsZero() {
		activated = c.today
	}
	return store.ImportConnection{Service: service, PlanID: plan.ID, DeviceID: rec.Device, ActivatedOn: activated,
		PaidThrough: rec.PaidThrough}, ok
}

// planNames lists the offered plans of a service for a message.
func (c *importCheck) planNames(service billing.Service) string {
	var names []string
	for _, p := range c.plans[service] {
		if p.Active {
			names = append(names, p.Name)
		}
	}
	if len(names) == 0 {
		return "none is offered yet, so add one on the Plans screen"
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// checkStored reports CRF numbers that any customer has, and mobiles that
// a current customer uses, or that an earlier row of the file uses.
func (c *importCheck) checkStored(ctx context.Context, st *store.Store, rows []importRow) error {
	var crfs []int64
	var mobiles []string
	for _, r := range rows {
		if r.crf != 0 {
			crfs = append(crfs, r.crf)
		}
		if r.customer.Mobile != "" {
			mobiles = append(mobiles, r.customer.Mobile)
		}
	}
	used, err := st.CRFsInUse(ctx, crfs)
	if err != nil {
		return err
	}
	owners, err := st.MobileOwners(ctx, mobiles)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if used[r.crf] {
			c.add(r.row, importer.FieldCRF, message.New("CRF {{.CRF}} already belongs to a customer in CTVMS; leave "+
				"the cell empty to assign a new number.", "CRF", r.crf))
		}
		if owner, ok := owners[r.customer.Mobile]; ok {
			c.add(r.row, importer.FieldMobile, message.New("Mobile number {{.Mobile}} already belongs to customer "+
				"{{.CRF}}.", "Mobile", r.customer.Mobile, "CRF", owner))
		}
	}
	return nil
}

func (c *importCheck) checkMobilesInFile(rows []importRow) {
	first := map[string]int{}
	for _, r := range rows {
		m := r.customer.Mobile
		if m == "" {
			continue
		}
		if row, dup := first[m]; dup {
			c.add(r.row, importer.FieldMobile, message.New("Mobile number {{.Mobile}} is also in row {{.Row}}; each "+
				"customer needs their own number.", "Mobile", m, "Row", row))
			continue
		}
		first[m] = r.row
	}
}

func (c *importCheck) report(rows []importRow) ImportReport {
	r := ImportReport{Rows: len(rows), Problems: c.problems}
	for _, row := range rows {
		if row.crf != 0 {
			r.KeptCRFs++
		}
		if row.customer.Email != "" {
			r.WithEmail++
		}
		for _, conn := range row.connections {
			if conn.Service == billing.ServiceCableTV {
				r.CableTV++
			} else {
				r.Broadband++
			}
		}
	}
	return r
}

// ImportOptions change what an import does besides writing the rows.
type ImportOptions struct {
	// SendWelcome queues the welcome email with the login details for
	// every customer with an email address.
	SendWelcome bool
}

// ImportPhase is a step of RunImport, for progress reports.
type ImportPhase string

// Steps of an import.
const (
	// ImportHashing creates and hashes the initial passwords, before the
	// transaction starts.
	ImportHashing ImportPhase = "hashing"
	// ImportWriting writes the customers inside the transaction.
	ImportWriting ImportPhase = "writing"
)

// ImportProgress reports how far an import is.
type ImportProgress struct {
	Phase ImportPhase
	Done  int
	Total int
}

// ImportResult is the outcome of a completed import.
type ImportResult struct {
	Customers int
	CableTV   int
	Broadband int
	Welcome   int // welcome emails queued
	// CRFs are the customers' numbers in file order.
	CRFs []int64
	// Unsent lists the initial passwords of customers who got no welcome
	// email, to hand over in person. They are stored only as hashes.
	Unsent []Credential
}

// Credential is a new customer's login, shown to the admin once.
type Credential struct {
	CRF      int64
	Name     string
	Password string
}

// RunImport checks a file as DryRunImport does and, when it has no
// problems, writes every row in one transaction. It writes customers with
// their CRF numbers kept or assigned, and logins with random initial
// passwords that must be changed at first login. It queues welcome emails
// when opts requests them and bills connections from their activation
// dates. Months up to a row's
// paid-through date count as paid in the earlier system and are not
// billed. A file with problems returns *ImportProblemsError. Cancelling
// ctx stops the import and rolls it back. progress, when set, is called
// from the import's goroutines. Admin only.
func (s *Service) RunImport(ctx context.Context, sess Session, path, sheet string, m importer.Mapping,
	opts ImportOptions, progress func(ImportProgress)) (ImportResult, error) {
	if err := requireAdmin(sess); err != nil {
		return ImportResult{}, err
	}
	if progress == nil {
		progress = func(ImportProgress) {}
	}
	rows, report, err := s.checkImport(ctx, path, sheet, m)
	if err != nil {
		return ImportResult{}, err
	}
	if !report.OK() {
		return ImportResult{}, &ImportProblemsError{Report: report}
	}
	passwords, hashes, err := s.initialPasswords(ctx, len(rows), progress)
	if err != nil {
		return ImportResult{}, err
	}
	clk, err := s.jobClock(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	params := store.ImportParams{Source: filepath.Base(path), Actor: sess.Username, Clock: clk,
		Customers: make([]store.ImportCustomer, len(rows)),
		Progress:  func(done int) { progress(ImportProgress{Phase: ImportWriting, Done: done, Total: len(rows)}) }}
	compose, err := s.welcomeComposer(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	for i, r := range rows {
		create := store.CreateCustomerParams{Customer: r.customer, CRF: r.crf, PasswordHash: hashes[i],
			MustChangePassword: true, Actor: sess.Username}
		if opts.SendWelcome && r.customer.Email != "" {
			create.Welcome = compose(r.customer, passwords[i])
		}
		params.Customers[i] = store.ImportCustomer{Row: r.row, Create: create, Connections: r.connections}
	}

	counts, err := s.store.ImportCustomers(ctx, params)
	if err != nil {
		s.log.Error("import failed", "file", params.Source, "rows", len(rows), "err", err)
		return ImportResult{}, err
	}
	s.log.Info("import complete", "file", params.Source, "customers", counts.Customers,
		"cable_tv", counts.CableTV, "broadband", counts.Broadband, "welcome_queued", counts.Welcome)
	return importResult(counts, params, passwords), nil
}

func importResult(counts store.ImportCounts, params store.ImportParams, passwords []string) ImportResult {
	res := ImportResult{Customers: counts.Customers, CableTV: counts.CableTV, Broadband: counts.Broadband,
		Welcome: counts.Welcome, CRFs: counts.CRFs}
	for i, c := range params.Customers {
		if c.Create.Welcome == nil {
			res.Unsent = append(res.Unsent, Credential{CRF: counts.CRFs[i], Name: c.Create.Customer.Name,
				Password: passwords[i]})
		}
	}
	return res
}

// initialPasswords creates n random passwords and their bcrypt hashes. The
// hashes use the same cost as every other login, so an imported account is
// no easier to crack. Because one hash at the default cost takes tens of
// milliseconds, they are computed on one goroutine per CPU before the
// transaction starts, and the write lock is not held meanwhile.
func (s *Service) initialPasswords(ctx context.Context, n int, progress func(ImportProgress)) ([]string, []string, error) {
	passwords := make([]string, n)
	hashes := make([]string, n)
	for i := range passwords {
		var err error
		if passwords[i], err = randomPassword(10); err != nil {
			return nil, nil, err
		}
	}

	jobs := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range jobs {
				hash, err := s.hashPassword(passwords[i])
				if err != nil {
					select {
					case errs <- err:
					default:
					}
					continue
				}
				hashes[i] = hash
				mu.Lock()
				done++
				progress(ImportProgress{Phase: ImportHashing, Done: done, Total: n})
				mu.Unlock()
			}
		})
	}

	err := feedJobs(ctx, jobs, n, errs)
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	select {
	case err := <-errs:
		return nil, nil, err
	default:
	}
	return passwords, hashes, nil
}

// feedJobs sends the indexes 0 to n-1 to jobs and closes it, stopping early
// when ctx is cancelled or a worker reports an error.
func feedJobs(ctx context.Context, jobs chan<- int, n int, errs chan error) error {
	defer close(jobs)
	for i := range n {
		select {
		case jobs <- i:
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errs:
			return err
		}
	}
	return nil
}

// welcomeComposer reads the settings and the welcome template once and
// returns a function that composes one customer's welcome email after the
// store has assigned the CRF number, which is also the username.
func (s *Service) welcomeComposer(ctx context.Context) (func(store.CustomerParams, string) func(int64) (store.OutboxMessage, error), error) {
	st, err := s.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.template(ctx, mailer.KindWelcome)
	if err != nil {
		return nil, err
	}
	return func(p store.CustomerParams, password string) func(int64) (store.OutboxMessage, error) {
		return func(crf int64) (store.OutboxMessage, error) {
			data := mailer.WelcomeData{Business: business(st), CustomerName: p.Name, CRF: crf,
				Username: strconv.FormatInt(crf, 10), Password: password}
			return renderEmail(t, mailer.KindWelcome, p.Email, p.Name, data)
		}
	}, nil
}
