package cli

// parseTypes turns a -type value into compiler.Options.Types, where nil
// means both.
func parseTypes(v string) ([]string, error) {
	switch v {
	case "both", "":
		return nil, nil
	case "float64", "float32":
		return []string{v}, nil
	}
	return nil, usagef("-type %q: want float32, float64 or both", v)
}
