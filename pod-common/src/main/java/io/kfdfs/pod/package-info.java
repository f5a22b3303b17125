package io.kfdfs.pod;
