// luahealth runs Argo CD resource health checks (health.lua) against their fixtures the way Argo CD does:
// gopher-lua, the object bound to the global `obj`, only the base, table and package libraries open (Argo CD's
// default; a script that needs string or os fails here as it would there), and a one-second budget per run.
// It reads Argo CD's layout: <dir>/<group>/<Kind>/health.lua, health_test.yaml listing
// {inputPath, healthStatus: {status, message}}, and testdata/*.yaml.
//
//	luahealth <root>    exit 0: every case matched; 1: a case did not; 2: unreadable input
package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	lua "github.com/yuin/gopher-lua"
	"sigs.k8s.io/yaml"
)

// Argo CD stops a health script after one second; a fixture that needs longer would time out there too.
const scriptBudget = time.Second

// The statuses Argo CD accepts; anything else it shows as Unknown.
var validStatuses = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true,
}

type healthStatus struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

type healthTests struct {
	Tests []struct {
		InputPath    string       `json:"inputPath"`
		HealthStatus healthStatus `json:"healthStatus"`
	} `json:"tests"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: luahealth <resource_customizations root>")
		os.Exit(2)
	}
	failed, err := runAll(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "luahealth:", err)
		os.Exit(2)
	}
	if failed > 0 {
		fmt.Printf("%d case(s) failed\n", failed)
		os.Exit(1)
	}
}

func runAll(root string) (failed int, err error) {
	var scripts []string
	err = filepath.WalkDir(root, func(path string, entry fs.DirEntry, walkErr error) error {
		if walkErr == nil && !entry.IsDir() && entry.Name() == "health.lua" {
			scripts = append(scripts, path)
		}
		return walkErr
	})
	if err != nil {
		return 0, err
	}
	if len(scripts) == 0 {
		return 0, fmt.Errorf("no health.lua under %s", root)
	}
	sort.Strings(scripts)
	for _, script := range scripts {
		n, err := runScript(root, script)
		if err != nil {
			return 0, err
		}
		failed += n
	}
	return failed, nil
}

func runScript(root, scriptPath string) (failed int, err error) {
	dir := filepath.Dir(scriptPath)
	script, err := os.ReadFile(scriptPath)
	if err != nil {
		return 0, err
	}
	var tests healthTests
	if err := readYAML(filepath.Join(dir, "health_test.yaml"), &tests); err != nil {
		return 0, err
	}
	if len(tests.Tests) == 0 {
		return 0, fmt.Errorf("%s: health_test.yaml lists no tests", dir)
	}
	name, _ := filepath.Rel(root, dir)
	for _, test := range tests.Tests {
		var obj map[string]any
		if err := readYAML(filepath.Join(dir, test.InputPath), &obj); err != nil {
			return 0, err
		}
		got, err := evaluate(string(script), obj)
		switch {
		case err != nil:
			fmt.Printf("FAIL %s %s: %v\n", name, test.InputPath, err)
			failed++
		case got != test.HealthStatus:
			fmt.Printf("FAIL %s %s:\n  want %+v\n  got  %+v\n", name, test.InputPath, test.HealthStatus, got)
			failed++
		default:
			fmt.Printf("ok   %s %s: %s\n", name, test.InputPath, got.Status)
		}
	}
	return failed, nil
}

func readYAML(path string, into any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func evaluate(script string, obj map[string]any) (healthStatus, error) {
	state := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer state.Close()
	for name, open := range map[string]lua.LGFunction{
		lua.LoadLibName: lua.OpenPackage, lua.BaseLibName: lua.OpenBase, lua.TabLibName: lua.OpenTable,
	} {
		state.Push(state.NewFunction(open))
		state.Push(lua.LString(name))
		state.Call(1, 0)
	}
	ctx, cancel := context.WithTimeout(context.Background(), scriptBudget)
	defer cancel()
	state.SetContext(ctx)
	state.SetGlobal("obj", toLua(state, obj))
	if err := state.DoString(script); err != nil {
		return healthStatus{}, err
	}
	table, ok := state.Get(-1).(*lua.LTable)
	if !ok {
		return healthStatus{}, errors.New("the script returned no table")
	}
	status := healthStatus{
		Status:  lua.LVAsString(table.RawGetString("status")),
		Message: lua.LVAsString(table.RawGetString("message")),
	}
	if !validStatuses[status.Status] {
		return healthStatus{}, fmt.Errorf("status %q is not one Argo CD knows", status.Status)
	}
	return status, nil
}

// toLua converts a value decoded from YAML through JSON (so every number is a float64) the way Argo CD's
// decodeValue does: maps to tables, lists to arrays, null to nil.
func toLua(state *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case []any:
		array := state.CreateTable(len(v), 0)
		for _, item := range v {
			array.Append(toLua(state, item))
		}
		return array
	case map[string]any:
		table := state.CreateTable(0, len(v))
		for key, item := range v {
			table.RawSetString(key, toLua(state, item))
		}
		return table
	default:
		return lua.LNil
	}
}
