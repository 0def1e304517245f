// The chain map: DOT document and Graphviz rendering (being written).
