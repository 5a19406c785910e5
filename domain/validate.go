package domain

import (
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Field checks shared by the aggregates' commands. The check* funcs record a problem
// in a *Validation under the field's name; the valid* funcs only answer.

func checkEmail(v *Validation, email string) {
	a, err := mail.ParseAddress(email)
	v.Check(err == nil && a.Address == email && len(email) <= 254, "email", "must be a plain email address such as ada@example.com")
}

func validPhone(p string) bool {
	if len(p) > 32 {
		return false
	}
	for _, r := range p {
		if !(r >= '0' && r <= '9') && !strings.ContainsRune(" +()-.", r) {
			return false
		}
	}
	return true
}

func validTime(s string) bool {
	if _, err := time.Parse(time.RFC3339, s); err == nil {
		return true
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func checkMetadata(v *Validation, field string, m map[string]string) {
	v.Check(len(m) <= 50, field, "at most 50 keys")
	for k, val := range m {
		v.Check(k != "" && len(k) <= 40, field+"."+k, "keys are 1 to 40 characters")
		v.Check(len(val) <= 500, field+"."+k, "values are at most 500 characters")
	}
}

func checkAddress(v *Validation, prefix string, a Address) {
	v.Check(a.Type == "" || slices.Contains(AddressTypes, a.Type), prefix+"type", "must be one of "+strings.Join(AddressTypes, ", "))
	v.Check(strings.TrimSpace(a.Street1) != "", prefix+"street1", "is required")
	v.Check(strings.TrimSpace(a.City) != "", prefix+"city", "is required")
	v.Check(strings.TrimSpace(a.PostalCode) != "", prefix+"postal_code", "is required")
	v.Check(len(a.Country) == 2 && strings.ToUpper(a.Country) == a.Country, prefix+"country", "must be an ISO 3166-1 alpha-2 code such as US")
}

func checkOptionalAddress(v *Validation, field string, a *Address) {
	if a != nil {
		checkAddress(v, field+".", *a)
	}
}

func validDate(s string) bool {
	if _, err := time.Parse(time.RFC3339, s); err == nil {
		return true
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// CheckSKU validates a SKU: 1 to 100 printable characters without spaces.
func CheckSKU(v *Validation, field, sku string) {
	ok := sku != "" && len(sku) <= 100
	for _, r := range sku {
		if r <= ' ' || r == 0x7f {
			ok = false
		}
	}
	v.Check(ok, field, "must be 1 to 100 characters without spaces")
}

// CheckCurrency validates an ISO 4217 code.
func CheckCurrency(v *Validation, field, c string) {
	ok := len(c) == 3
	for _, r := range c {
		if r < 'A' || r > 'Z' {
			ok = false
		}
	}
	v.Check(ok, field, "must be an ISO 4217 code such as USD")
}

func validSKU(sku string) bool {
	return sku != "" && len(sku) <= 100 && !strings.ContainsAny(sku, " \t\r\n")
}

func validCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := range 3 {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

func checkCurrency(v *Validation, field, c string) {
	v.Check(validCurrency(c), field, "must be an ISO 4217 code such as USD")
}
