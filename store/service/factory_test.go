package service

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
)

// fakeClock is a clock that tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// SetDate moves the clock to 10:00 local time on d.
func (c *fakeClock) SetDate(d billing.Date) {
	c.Set(time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, testLocation))
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testLocation is the operator's zone in tests: India, UTC+5:30, so a test
// notices dates computed in UTC instead of local time.
var testLocation = time.FixedZone("IST", 5*3600+1800)

type env struct {
	t     *testing.T
	svc   *Service
	store *store.Store
	clock *fakeClock
	admin Session
	ctx   context.Context
}

const testAdminPassword = "office-secret-1"

// newEnv returns a set-up service on a fresh database in a temp folder, on
// 4 Dec 2026, with an admin logged in.
func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvIn(t, t.TempDir())
}

// newEnvIn is newEnv with the data folder dir.
func newEnvIn(t *testing.T, dir string) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "ctvms.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := &fakeClock{}
	clock.SetDate(billing.NewDate(2026, time.December, 4))
	svc := New(st, Options{DataDir: dir, Clock: clock, Location: testLocation, PasswordCost: 4,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	err = svc.Setup(ctx, SetupParams{Username: "admin", Password: testAdminPassword,
		ConfirmPassword: testAdminPassword, BusinessName: "Sunrise Cable Network"})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := svc.Login(ctx, "admin", testAdminPassword)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, svc: svc, store: st, clock: clock, admin: admin, ctx: ctx}
}

var mobileSeq int

// addCustomer creates a customer with a unique mobile number.
func (e *env) addCustomer(name string) NewCustomer {
	e.t.Helper()
	mobileSeq++
	nc, err := e.svc.CreateCustomer(e.ctx, e.admin, store.CustomerParams{Name: name,
		Mobile: fmt.Sprintf("98%08d", mobileSeq), Email: fmt.Sprintf("c%d@example.com", mobileSeq),
		City: "Pune"})
	if err != nil {
		e.t.Fatalf("create customer %q: %v", name, err)
	}
	return nc
}

// addPlan creates a plan with a price typed as text.
func (e *env) addPlan(service billing.Service, name, price string) int64 {
	e.t.Helper()
	id, err := e.svc.CreatePlan(e.ctx, e.admin, PlanInput{Service: service, Name: name, Price: price, Active: true})
	if err != nil {
		e.t.Fatalf("create plan %q: %v", name, err)
	}
	return id
}

// loginCustomer logs a customer in with the initial password and sets a
// new one, as the first-login screen does.
func (e *env) loginCustomer(nc NewCustomer) Session {
	e.t.Helper()
	sess, err := e.svc.Login(e.ctx, fmt.Sprint(nc.CRF), nc.InitialPassword)
	if err != nil {
		e.t.Fatalf("customer %d login: %v", nc.CRF, err)
	}
	if err := e.svc.SetInitialPassword(e.ctx, &sess, "customer-pass-1", "customer-pass-1"); err != nil {
		e.t.Fatal(err)
	}
	return sess
}

// connect adds a service activated on the given date.
func (e *env) connect(crf int64, service billing.Service, planID int64, activated billing.Date) int64 {
	e.t.Helper()
	id, err := e.svc.Connect(e.ctx, e.admin, crf, ConnectInput{Service: service, PlanID: planID,
		DeviceID: "STB-1", ActivatedOn: activated.String()})
	if err != nil {
		e.t.Fatalf("connect customer %d: %v", crf, err)
	}
	return id
}
