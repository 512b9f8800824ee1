// Package demo fills an empty database with a believable office: plans,
// customers with cable TV and broadband connections, and two years of
// billing history made by running the real billing jobs day by day.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// Demo logins, printed when the program starts with -demo.
const (
	AdminUsername    = "admin"
	AdminPassword    = "admin123"
	CustomerPassword = "demo1234"
)

// Options size the demo office.
type Options struct {
	Customers int
	Seed      uint64
	// Today is the last day of the history, normally the current date.
	Today    billing.Date
	Location *time.Location
	// Progress, when set, receives the number of days simulated and the
	// total.
	Progress func(done, total int)
}

// Summary describes the generated office.
type Summary struct {
	FirstCRF, LastCRF int64
	Connections       int
}

type plan struct {
	service billing.Service
	name    string
	price   string
	desc    string
	id      int64
}

var plans = []*plan{
	{service: billing.ServiceCableTV, name: "Basic", price: "250", desc: "120 channels, 20 in HD"},
	{service: billing.ServiceCableTV, name: "Family", price: "350", desc: "220 channels, 60 in HD, kids and regional"},
	{service: billing.ServiceCableTV, name: "Gold HD", price: "450", desc: "300 channels, 120 in HD"},
	{service: billing.ServiceCableTV, name: "Sports Max", price: "550", desc: "Gold HD with every sports channel"},
	{service: billing.ServiceBroadband, name: "Home 30", price: "499", desc: "30 Mbps, 500 GB a month"},
	{service: billing.ServiceBroadband, name: "Home 100", price: "799", desc: "100 Mbps, unlimited data"},
	{service: billing.ServiceBroadband, name: "Fibre 300", price: "1199", desc: "300 Mbps, unlimited data, static IP"},
}

// Generate sets up an empty database as a demo office. It fails if the
// database is already set up.
func Generate(ctx context.Context, st *store.Store, opts Options) (Summary, error) {
	g := &generator{st: st, opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, 0x43545653))}
	g.clock = &dayClock{loc: opts.Location}
	g.clock.set(opts.Today.AddDays(-760))
	g.svc = service.New(st, service.Options{Clock: g.clock, Location: opts.Location, PasswordCost: bcrypt.MinCost})
	if err := g.setup(ctx); err != nil {
		return Summary{}, err
	}
	if err := g.simulate(ctx); err != nil {
		return Summary{}, err
	}
	return g.summary, nil
}

// dayClock is the generator's clock, fixed at 10:00 on the simulated day.
type dayClock struct {
	loc *time.Location
	now time.Time
}

func (c *dayClock) Now() time.Time { return c.now }

func (c *dayClock) set(d billing.Date) {
	c.now = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, c.loc)
}

type generator struct {
	st      *store.Store
	svc     *service.Service
	clock   *dayClock
	opts    Options
	rng     *rand.Rand
	admin   service.Session
	hash    string
	summary Summary
	// references counts online payments, to keep demo references unique.
	references int
}

func (g *generator) setup(ctx context.Context) error {
	err := g.svc.Setup(ctx, service.SetupParams{Username: AdminUsername, Password: AdminPassword,
		ConfirmPassword: AdminPassword, BusinessName: "Sunrise Cable & Broadband",
		BusinessAddress: "14 Station Road, Pune 411001", BusinessPhone: "+91 20 2612 3456",
		BusinessEmail: "office@sunrise-cable.example"})
	if err != nil {
		return fmt.Errorf("demo setup: %w", err)
	}
	if g.admin, err = g.svc.Login(ctx, AdminUsername, AdminPassword); err != nil {
		return fmt.Errorf("demo login: %w", err)
	}
	for _, p := range plans {
		p.id, err = g.svc.CreatePlan(ctx, g.admin, service.PlanInput{Service: p.service, Name: p.name,
			Price: p.price, Description: p.desc, Active: true})
		if err != nil {
			return fmt.Errorf("demo plan %s: %w", p.name, err)
		}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(CustomerPassword), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	g.hash = string(hash)
	return nil
}
