package io.kfdfs.cli;
