package main

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
)

type Case struct {
	Pattern string   `json:"pattern"`
	Inputs  []string `json:"inputs"`
}

type Out struct {
	Error    string     `json:"error"`
	Find     [][][]int  `json:"find"`
	Replace  []string   `json:"replace"`
	Split    [][]string `json:"split"`
	Names    []string   `json:"names"`
	Match    []bool     `json:"match"`
}

func main() {
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for sc.Scan() {
		var c Case
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			panic(err)
		}
		var o Out
		re, err := regexp.Compile(c.Pattern)
		if err != nil {
			o.Error = err.Error()
		} else {
			o.Names = re.SubexpNames()
			for _, in := range c.Inputs {
				m := re.FindAllStringSubmatchIndex(in, -1)
				if m == nil {
					m = [][]int{}
				}
				o.Find = append(o.Find, m)
				o.Match = append(o.Match, re.MatchString(in))
				o.Replace = append(o.Replace, re.ReplaceAllString(in, "<$1|${2}x$$>"))
				s := re.Split(in, -1)
				if s == nil {
					s = []string{}
				}
				o.Split = append(o.Split, s)
			}
		}
		enc.Encode(o)
	}
}
