package service

import (
	"context"
	"strings"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/store"
)

// PlanInput is a plan as typed in the plan form; the price is the text the
// admin typed, parsed exactly.
type PlanInput struct {
	Service     billing.Service
	Name        string
	Price       string
	Description string
	Active      bool
}

// ListPlans returns the plans. Customers see only active ones.
func (s *Service) ListPlans(ctx context.Context, sess Session, includeInactive bool) ([]store.Plan, error) {
	if sess.UserID == 0 {
		return nil, ErrForbidden
	}
	return s.store.ListPlans(ctx, includeInactive && sess.IsAdmin())
}

func validatePlan(in PlanInput) (store.PlanParams, error) {
	var v validator
	p := store.PlanParams{Service: in.Service, Name: strings.TrimSpace(in.Name),
		Description: strings.TrimSpace(in.Description), Active: in.Active}
	if _, err := billing.ParseService(string(in.Service)); err != nil {
		v.add("service", message.New("Choose a service: Cable TV or Broadband."))
	}
	v.required("name", message.New("Plan name"), p.Name)
	v.maxLen("name", message.New("Plan name"), p.Name, 80)
	v.maxLen("description", message.NewID("plan.description", "Description"), p.Description, 500)
	price, err := billing.ParseMoney(in.Price)
	if err != nil {
		v.add("price", message.New("Monthly price: {{.Problem}}", "Problem", err))
	}
	p.Price = price
	return p, v.err()
}

// CreatePlan adds a plan whose price is in force from today. Admin only.
func (s *Service) CreatePlan(ctx context.Context, sess Session, in PlanInput) (int64, error) {
	if err := requireAdmin(sess); err != nil {
		return 0, err
	}
	p, err := validatePlan(in)
	if err != nil {
		return 0, err
	}
	return s.store.CreatePlan(ctx, p, s.Today(), sess.Username, s.clock.Now())
}

// UpdatePlan changes a plan. A new price applies to periods that start from
// today on; periods already billed keep their amounts. Admin only.
func (s *Service) UpdatePlan(ctx context.Context, sess Session, id int64, in PlanInput) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	p, err := validatePlan(in)
	if err != nil {
		return err
	}
	return s.store.UpdatePlan(ctx, id, p, s.Today(), sess.Username, s.clock.Now())
}
