package io.kfdfs.tracker;
